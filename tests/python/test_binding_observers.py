"""qtensor's parameters from data against PyTorch 1.13 live: the observers of
qtensor.ao.quantization against torch.ao.quantization's, choose_qparams and
quantize_per_tensor_dynamic against torch's, on random and degenerate data,
bit for bit; and bad input raising the right qtensor error class."""

import warnings
import zlib

import numpy as np
import pytest

import qtensor
from qtensor.ao import quantization as qq

torch = pytest.importorskip("torch")
tq = pytest.importorskip("torch.ao.quantization")
torch.set_num_threads(1)

DTYPES = [(qtensor.quint8, torch.quint8), (qtensor.qint8, torch.qint8),
          (qtensor.qint32, torch.qint32)]
KINDS = [("MinMaxObserver", False, False), ("MovingAverageMinMaxObserver", False, True),
         ("PerChannelMinMaxObserver", True, False),
         ("MovingAveragePerChannelMinMaxObserver", True, True)]


def make_pair(kind, dtype_pair, symmetric, reduce_range, quant_range=None, c=0.3, ch_axis=0):
    name, per_channel, moving = kind
    qd, td = dtype_pair
    if per_channel:
        schemes = (qtensor.per_channel_symmetric, torch.per_channel_symmetric) if symmetric \
            else (qtensor.per_channel_affine, torch.per_channel_affine)
    else:
        schemes = (qtensor.per_tensor_symmetric, torch.per_tensor_symmetric) if symmetric \
            else (qtensor.per_tensor_affine, torch.per_tensor_affine)
    kq = dict(dtype=qd, qscheme=schemes[0], reduce_range=reduce_range)
    kt = dict(dtype=td, qscheme=schemes[1], reduce_range=reduce_range)
    if quant_range:
        for k in (kq, kt):
            k["quant_min"], k["quant_max"] = quant_range
    if moving:
        kq["averaging_constant"] = kt["averaging_constant"] = c
    if per_channel:
        kq["ch_axis"] = kt["ch_axis"] = ch_axis
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(qq, name)(**kq), getattr(tq, name)(**kt)


def assert_same(ours, theirs):
    s, z = ours
    ts, tz = theirs
    assert s.dtype == np.float32 and s.shape == tuple(ts.shape)
    assert z.shape == tuple(tz.shape)
    assert z.dtype == tz.numpy().dtype
    assert s.view(np.uint32).tolist() == ts.numpy().view(np.uint32).tolist()
    assert z.tolist() == tz.tolist()


CONFIGS = [(d, sym, rr) for d in DTYPES for sym in (False, True) for rr in (False, True)
           if not (sym and rr and d[0] is qtensor.quint8)]


@pytest.mark.parametrize("kind", KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c[0][0].name}-sym{c[1]}-rr{c[2]}")
def test_random_batches_equal_torch(kind, config):
    rng = np.random.default_rng(zlib.crc32(repr((kind[0], config[0][0].name, config[1:])).encode()))
    ours, theirs = make_pair(kind, *config, ch_axis=1)
    # qint32 affine stays above -256: below, torch's zero point overflows
    # int32 (test_qint32_zero_point_where_torch_overflows_int32).
    top = 2 if config[0][0] is qtensor.qint32 else 3
    for i in range(5):
        x = (rng.standard_normal((3, 4, 2 + i)) * 10.0 ** rng.integers(-3, top)
             + rng.standard_normal()).astype(np.float32)
        assert ours(x) is x  # forward returns its input, as torch's
        theirs(torch.from_numpy(x))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert_same(ours.calculate_qparams(), theirs.calculate_qparams())
    q = ours.quantizer()
    s, z = ours.calculate_qparams()
    if kind[1]:
        assert q.axis == 1 and q.scales.tolist() == s.astype(np.float64).tolist()
    else:
        assert q.scale == float(s[0]) and q.zero_point == int(z[0])


@pytest.mark.parametrize("kind", KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("dtype_index, quant_range",
                         [(0, (0, 15)), (1, (-8, 7)), (1, (-3, 100)), (2, (-1000, 3))])
def test_custom_ranges_equal_torch(kind, dtype_index, quant_range):
    dtype = DTYPES[dtype_index]
    for sym in (False, True):
        for rr in (False, True):
            if sym and rr and dtype[0] is qtensor.quint8:
                continue
            ours, theirs = make_pair(kind, dtype, sym, rr, quant_range)
            x = np.random.default_rng(7).standard_normal((4, 6)).astype(np.float32) * 3
            ours(x)
            theirs(torch.from_numpy(x))
            assert_same(ours.calculate_qparams(), theirs.calculate_qparams())


DEGENERATE = {
    "all_equal": [2.5, 2.5, 2.5], "all_zero": [0.0, 0.0], "one_element": [0.7],
    "tiny": [1e-30, -1e-30], "negative_only": [-3.0, -1.0],
}


@pytest.mark.parametrize("kind", KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("data", list(DEGENERATE), ids=list(DEGENERATE))
def test_degenerate_data_equals_torch(kind, data):
    for config in CONFIGS:
        ours, theirs = make_pair(kind, *config)
        x = np.array([DEGENERATE[data]], np.float32)  # one channel
        ours(x)
        theirs(torch.from_numpy(x))
        assert_same(ours.calculate_qparams(), theirs.calculate_qparams())


@pytest.mark.parametrize("kind", KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_infinity_raise_where_torch_gives_no_usable_answer(kind, bad):
    ours, theirs = make_pair(kind, DTYPES[0], False, False)
    x = np.array([[1.0, bad, -2.0]], np.float32)
    ours(x)
    theirs(torch.from_numpy(x))
    with pytest.raises(qtensor.InvalidArgumentError):
        ours.calculate_qparams()
    with pytest.raises(qtensor.InvalidArgumentError):
        ours.quantizer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            s, _ = theirs.calculate_qparams()
        except AssertionError:  # torch: NaN fails its assertion
            assert np.isnan(bad)
        else:  # torch: an infinite scale, or NaN propagated by the average
            assert not np.isfinite(s.numpy()).all()


@pytest.mark.parametrize("kind", KINDS, ids=[k[0] for k in KINDS])
def test_no_data_raises_where_torch_warns(kind):
    ours, theirs = make_pair(kind, DTYPES[0], False, False)
    ours(np.zeros((1, 0), np.float32))  # ignored, as torch ignores it
    theirs(torch.zeros((1, 0)))
    with pytest.raises(qtensor.InvalidArgumentError, match="before the observer saw any data"):
        ours.calculate_qparams()
    with pytest.warns(UserWarning):
        s, z = theirs.calculate_qparams()
    assert (s.tolist(), z.tolist()) == ([1.0], [0])


def test_choose_qparams_and_dynamic_quantize_equal_torch():
    rng = np.random.default_rng(3)
    cases = [rng.standard_normal(n).astype(np.float32) * 10.0 ** e + sh
             for n in (1, 5, 100) for e in (-6, -2, 0, 3) for sh in (0.0, 2.0, -5.0)]
    cases += [np.array(v, np.float32) for v in DEGENERATE.values()]
    cases += [np.array([-3e38, 3e38], np.float32)]
    for x in cases:
        for rr in (False, True):
            assert qtensor.choose_qparams_per_tensor(x, rr) == \
                torch._choose_qparams_per_tensor(torch.from_numpy(x), rr)
            assert qtensor._choose_qparams_per_tensor(x, rr) == \
                torch._choose_qparams_per_tensor(torch.from_numpy(x), rr)
            for qd, td in DTYPES[:2]:
                ours = qtensor.quantize_per_tensor_dynamic(x, qd, rr)
                theirs = torch.quantize_per_tensor_dynamic(torch.from_numpy(x), td, rr)
                assert (ours.q_scale(), ours.q_zero_point()) == \
                    (theirs.q_scale(), theirs.q_zero_point())
                assert ours.int_repr().tolist() == theirs.int_repr().tolist()
            mn, mx = float(x.min()), float(x.max())
            assert qtensor.choose_qparams(mn, mx, 0, 255, False, rr) == \
                torch._choose_qparams_per_tensor(torch.from_numpy(x), rr)


def test_qint32_zero_point_where_torch_overflows_int32():
    """A qint32 affine range narrower than 2^32 * eps (about 512) gets the
    scale eps; with min below about -256, min / eps is beyond int32, where
    torch's conversion overflows (x86 gives INT32_MIN) and its zero point
    becomes qmin - INT32_MIN = 0. qtensor computes the exact value, clamped."""
    ours, theirs = make_pair(KINDS[0], DTYPES[2], False, False)
    x = np.array([-300.0, 1.0], np.float32)
    ours(x)
    theirs(torch.from_numpy(x))
    s, z = ours.calculate_qparams()
    ts, tz = theirs.calculate_qparams()
    assert s.tolist() == ts.tolist() == [np.finfo(np.float32).eps]
    exact = -2**31 - int(np.rint(np.float32(-300.0) / np.finfo(np.float32).eps))
    assert z.tolist() == [min(exact, 2**31 - 1)]
    assert tz.tolist() == [0]


def test_views_and_array_likes_are_read_as_their_values():
    base = np.random.default_rng(5).standard_normal((6, 4)).astype(np.float32)
    view = base.T[:, ::2]  # strided, transposed
    ours, theirs = make_pair(KINDS[2], DTYPES[1], False, False, ch_axis=0)
    ours(view)
    theirs(torch.from_numpy(base).T[:, ::2])
    assert_same(ours.calculate_qparams(), theirs.calculate_qparams())
    obs = qq.MinMaxObserver()
    obs([[1, 2], [3, -4]])  # nested lists of ints
    assert obs.calculate_qparams()[1].tolist() == [int(round(4 / (7 / 255)))]


def test_bad_input_raises_qtensor_errors():
    with pytest.raises(qtensor.InvalidArgumentError, match="reduce_range"):
        qq.MinMaxObserver(qscheme=qtensor.per_tensor_symmetric, reduce_range=True)
    with pytest.raises(qtensor.InvalidArgumentError):
        qq.MinMaxObserver(qscheme=qtensor.per_channel_affine)
    with pytest.raises(qtensor.InvalidArgumentError):
        qq.PerChannelMinMaxObserver(qscheme=qtensor.per_tensor_affine)
    for lo, hi in ((5, 1), (3, 3), (0, 0), (-200, 100), (1, None)):
        with pytest.raises(qtensor.InvalidArgumentError):
            qq.MinMaxObserver(dtype=qtensor.qint8, quant_min=lo, quant_max=hi)
    with pytest.raises(qtensor.InvalidArgumentError):
        qq.MinMaxObserver(dtype=qtensor.qint32, quant_min=-2**31, quant_max=2**31 - 1)
    for c in (0.0, 1.5, -1.0, float("nan")):
        with pytest.raises(qtensor.InvalidArgumentError, match="averaging_constant"):
            qq.MovingAverageMinMaxObserver(averaging_constant=c)
    with pytest.raises(qtensor.InvalidArgumentError):
        qq.PerChannelMinMaxObserver(ch_axis=64)
    # torch's quantized dtypes are accepted; its float dtypes are not.
    assert qq.MinMaxObserver(dtype=torch.qint8).dtype is qtensor.qint8
    with pytest.raises(TypeError, match="quantized dtype"):
        qq.MinMaxObserver(dtype=torch.float32)
    obs = qq.PerChannelMinMaxObserver(ch_axis=2)
    with pytest.raises(qtensor.OutOfRangeError):
        obs(np.zeros((2, 3), np.float32))
    obs(np.ones((2, 3, 4), np.float32))
    with pytest.raises(qtensor.ShapeMismatchError):
        obs(np.ones((2, 3, 5), np.float32))
    assert obs.calculate_qparams()[0].shape == (4,)
    with pytest.raises(TypeError):
        obs(np.array(["a"]))
    with pytest.raises(qtensor.InvalidArgumentError):
        qtensor.quantize_per_tensor_dynamic([1.0], qtensor.qint32)
    with pytest.raises(qtensor.InvalidArgumentError, match="empty"):
        qtensor.choose_qparams_per_tensor(np.zeros(0, np.float32))
    with pytest.raises(qtensor.InvalidArgumentError, match="element 1"):
        qtensor.choose_qparams_per_tensor([1.0, float("nan")])
    with pytest.raises(qtensor.InvalidArgumentError):
        qtensor.choose_qparams(2.0, 1.0, 0, 255)
    with pytest.raises(TypeError, match="observer option"):
        qtensor.per_tensor_symmetric(0.1, 0, qtensor.qint8)


HIST_CONFIGS = [(d, sym, rr) for d in DTYPES for sym in (False, True) for rr in (False, True)]


@pytest.mark.parametrize("config", HIST_CONFIGS, ids=lambda c: f"{c[0][0].name}-sym{c[1]}-rr{c[2]}")
@pytest.mark.parametrize("bins, up", [(2048, 128), (100, 8), (5, 1)])
def test_histogram_observer_equals_torch(config, bins, up):
    (qd, td), sym, rr = config
    rng = np.random.default_rng(zlib.crc32(repr((qd.name, sym, rr, bins, up)).encode()))
    kq = dict(bins=bins, upsample_rate=up, dtype=qd, reduce_range=rr,
              qscheme=qtensor.per_tensor_symmetric if sym else qtensor.per_tensor_affine)
    kt = dict(bins=bins, upsample_rate=up, dtype=td, reduce_range=rr,
              qscheme=torch.per_tensor_symmetric if sym else torch.per_tensor_affine)
    ours = qq.HistogramObserver(**kq)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = tq.HistogramObserver(**kt)
    for i in range(3):
        x = (rng.standard_normal((4, 50)) * 10.0 ** rng.integers(-1, 2) * (i + 1)
             + rng.standard_normal()).astype(np.float32)
        ours(x)
        theirs(torch.from_numpy(x))
        assert_same(ours.calculate_qparams(), theirs.calculate_qparams())


def test_histogram_observer_bad_input():
    obs = qq.HistogramObserver(bins=64)
    with pytest.raises(qtensor.InvalidArgumentError, match="before the observer saw any data"):
        obs.calculate_qparams()
    obs([0.5, 1.5, -2.0])
    for bad in (np.nan, np.inf):
        with pytest.raises(qtensor.InvalidArgumentError, match="NaN or an infinity"):
            obs([1.0, bad])
    with pytest.raises(qtensor.InvalidArgumentError):
        qq.HistogramObserver(bins=0)
    with pytest.raises(qtensor.InvalidArgumentError):
        qq.HistogramObserver(qscheme=qtensor.per_channel_affine)


@pytest.mark.parametrize("kind", KINDS, ids=[k[0] for k in KINDS])
def test_min_val_and_max_val_equal_torchs(kind):
    ours, theirs = make_pair(kind, DTYPES[1], False, False, ch_axis=1)
    if not kind[1]:
        assert ours.min_val.shape == () and ours.min_val == np.inf and ours.max_val == -np.inf
    else:
        assert ours.min_val.shape == (0,)
    for i in range(3):
        x = np.random.default_rng(i).standard_normal((2, 5, 3)).astype(np.float32) * (i + 1)
        ours(x)
        theirs(torch.from_numpy(x))
        for got, want in ((ours.min_val, theirs.min_val), (ours.max_val, theirs.max_val)):
            assert got.shape == tuple(want.shape)
            assert got.view(np.uint32).tolist() == want.numpy().view(np.uint32).tolist()
    h = qq.HistogramObserver(bins=32)
    t = tq.HistogramObserver(bins=32)
    for x in (np.array([0.5, 1.5, -2.0], np.float32), np.array([4.0, -3.0], np.float32)):
        h(x)
        t(torch.from_numpy(x))
    assert (float(h.min_val), float(h.max_val)) == (t.min_val.item(), t.max_val.item())

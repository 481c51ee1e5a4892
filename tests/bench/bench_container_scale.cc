// The container's speed and scale targets (issue 17, "Speed and scale"),
// each against its baseline measured in the same run:
//   a. read() of the whole file into one reused buffer: the page cache's
//      read bandwidth;
//   b. BundleWriter writing the bundle, against plain write() of as many
//      bytes with the same durability (an fsync, then a rename), and the
//      writer's peak memory;
//   c. opening the file and getting its 64 MiB tensor: time, and resident
//      memory after the get and after touching every byte of it;
//   d. opening it and dequantizing every tensor in file order, with 1 and
//      N threads: each tensor whole into one buffer as large as the largest
//      tensor (the floats go to memory), and each in chunks of rows into
//      one cache-sized buffer (like for like with a's reused read buffer).
// Each phase runs in a child process (clean peak memory, its own mappings).
// Every tensor's sampled bytes and values are checked against what was
// written: a mismatch fails the run (exit status 1).
//
//   qtensor_bench_container [--dir DIR] [--gib N | --mib N] [--tensors N]
//                           [--threads N] [--int4-every N] [--chunk-kib N]
//                           [--keep]
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "container_scale_plan.h"
#include "process_stats.h"
#include "qtensor/qtensor.hpp"

namespace qtensor::bench {
namespace {

struct Options {
  std::string dir;
  uint64_t total_bytes = uint64_t{8} << 30;
  size_t tensors = 1000;
  int threads = 2;
  size_t int4_every = 100;
  // d's chunked walk: floats per chunk, 256 KiB: well inside one core's L2
  // (2 MiB here), with the chunk's input beside it.
  size_t chunk_floats = size_t{64} << 10;
  bool keep = false;
};

constexpr int kReadPasses = 3;
// Rounds of (plain write, BundleWriter). On this VM writing into memory the
// guest has not used lately runs several times slower (the host backs
// freed pages again on first touch: free page reporting), so the first
// plain write starts cold and later rounds start after a removal.
constexpr int kWriteRounds = 2;
constexpr int kOpens = 9;
constexpr size_t kBufferBytes = 8 * kMiB;  // read() and write() baselines

// Filled in by the child processes.
struct Results {
  double read_seconds[kReadPasses] = {};
  double writer_add[kWriteRounds] = {}, writer_finish[kWriteRounds] = {};
  uint64_t writer_peak = 0;  // VmHWM growth, the highest of the rounds
  uint64_t file_bytes = 0, header_bytes = 0;
  double plain_write[kWriteRounds] = {}, plain_sync[kWriteRounds] = {};
  uint64_t plain_bytes = 0;
  double first_open = 0, first_get = 0;  // the process's first: its heap still to grow
  double first_touch = 0;                // summing the got tensor's bytes
  double open_get[kOpens] = {};
  // Growth from before the first open.
  uint64_t rss_after_open = 0, rss_after_get = 0, rss_after_touch = 0;
  double dequantize_resident = 0;     // the 64 MiB tensor, pages already mapped
  double touch_all = 0;               // open, get and sum every tensor's bytes
  double dequantize_all[2] = {};      // 1 thread, options.threads
  double dequantize_chunked[2] = {};  // the same, in chunks of rows
  double chunked_int4 = 0;            // of dequantize_chunked[0], the 4-bit entries' time
};

double Gb(uint64_t bytes) { return static_cast<double>(bytes) / 1e9; }
double MiB(uint64_t bytes) { return static_cast<double>(bytes) / static_cast<double>(kMiB); }

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// A float's bits: the values must be bit for bit what was written.
uint32_t Bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// Counts and reports mismatches between a mapped tensor and its plan.
class ReadBack {
 public:
  // The tensor's sampled bytes and (if values is not null) dequantized values.
  void Check(const PlannedEntry& entry, const Tensor& tensor, const float* values) {
    ++entries_;
    if (static_cast<uint64_t>(tensor.nbytes()) != entry.bytes()) {
      Fail(entry, "size", tensor.nbytes(), entry.bytes());
      return;
    }
    const auto* bytes = static_cast<const uint8_t*>(tensor.data_ptr());
    for (uint64_t p : SamplePositions(entry.bytes(), entry.seed)) {
      if (bytes[p] != ExpectedByte(entry, p)) Fail(entry, "byte", bytes[p], ExpectedByte(entry, p));
    }
    if (values != nullptr) CheckValues(entry, values, 0, static_cast<uint64_t>(entry.numel()));
  }
  // The sampled values among elements [first, first + count), held in values.
  void CheckValues(const PlannedEntry& entry, const float* values, uint64_t first, uint64_t count) {
    for (uint64_t e : SamplePositions(static_cast<uint64_t>(entry.numel()), ~entry.seed)) {
      if (e < first || e - first >= count) continue;
      const float expected = ExpectedValue(entry, static_cast<int64_t>(e));
      if (Bits(values[e - first]) == Bits(expected)) continue;
      if (mismatches_ < kShown) {
        std::fprintf(stderr, "MISMATCH %s value %" PRIu64 ": %.9g, wrote %.9g\n",
                     entry.name.c_str(), e, values[e - first], expected);
      }
      ++mismatches_;
    }
  }
  void Fail(const PlannedEntry& entry, const char* what, uint64_t got, uint64_t expected) {
    if (mismatches_ < kShown) {
      std::fprintf(stderr, "MISMATCH %s %s: %" PRIu64 ", wrote %" PRIu64 "\n", entry.name.c_str(),
                   what, got, expected);
    }
    ++mismatches_;
  }
  // 0 if all matched, else 1 (a child's exit status).
  int Status(const char* phase) const {
    if (mismatches_ == 0) return 0;
    std::fprintf(stderr, "%s: %zu mismatches in %zu entries\n", phase, mismatches_, entries_);
    return 1;
  }

 private:
  static constexpr size_t kShown = 10;  // mismatches printed; all are counted
  size_t entries_ = 0, mismatches_ = 0;
};

// Runs a phase, turning an exception into a message and exit status 2.
template <class Phase>
int Guarded(const char* name, Phase&& phase) {
  return RunInChild([&] {
    try {
      return phase();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "%s: %s\n", name, error.what());
      return 2;
    }
  });
}

uint64_t FileSize(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 ? static_cast<uint64_t>(info.st_size) : 0;
}

// b: the bundle through BundleWriter; each tensor made (untimed) just
// before it is added, and dropped after.
int WriteBundle(const Plan& plan, const std::string& path, int round, Results& r) {
  ResetPeakResident();
  const uint64_t before = ResidentBytes();
  BundleWriter writer = BundleWriter::open(path);
  for (const PlannedEntry& entry : plan.entries) {
    const Tensor tensor = MakeTensor(entry);
    const double start = Now();
    writer.add(entry.name, tensor);
    r.writer_add[round] += Now() - start;
  }
  const double start = Now();
  writer.finish();
  r.writer_finish[round] = Now() - start;
  r.writer_peak = std::max(r.writer_peak, PeakResidentBytes() - before);
  r.file_bytes = FileSize(path);
  // The prefix's header_length (docs/format.md, "The container").
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0 && ::pread(fd, &r.header_bytes, 8, 24) != 8) r.header_bytes = 0;
  if (fd >= 0) ::close(fd);
  return 0;
}

// b's baseline: as many bytes from one buffer with write(), then what the
// writer's finish does to make them durable: fsync, close, rename.
int WritePlain(const PlannedEntry& source, uint64_t bytes, const std::string& path, int round,
               Results& r) {
  std::vector<uint8_t> buffer(kBufferBytes);
  PlannedEntry filler = source;
  filler.rows = static_cast<int64_t>(kBufferBytes / static_cast<uint64_t>(filler.cols));
  filler.int4 = false;
  FillPayload(filler, buffer.data());
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    std::perror(temporary.c_str());
    return 2;
  }
  const double start = Now();
  for (uint64_t done = 0; done < bytes;) {
    const size_t piece = static_cast<size_t>(std::min<uint64_t>(kBufferBytes, bytes - done));
    const ssize_t n = ::write(fd, buffer.data(), piece);
    if (n <= 0) {
      std::perror("write");
      ::close(fd);
      ::unlink(temporary.c_str());
      return 2;
    }
    done += static_cast<uint64_t>(n);
  }
  const double synced = Now();
  const bool ok =
      ::fsync(fd) == 0 && ::close(fd) == 0 && ::rename(temporary.c_str(), path.c_str()) == 0;
  r.plain_sync[round] = Now() - synced;
  r.plain_bytes = bytes;
  r.plain_write[round] = synced - start;
  if (!ok) ::unlink(temporary.c_str());
  return ok ? 0 : 2;
}

// a: read() of the whole file into one reused buffer.
int ReadFile(const std::string& path, Results& r) {
  std::vector<uint8_t> buffer(kBufferBytes, 1);
  for (int pass = 0; pass < kReadPasses; ++pass) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return 2;
    const double start = Now();
    while (::read(fd, buffer.data(), buffer.size()) > 0) {
    }
    r.read_seconds[pass] = Now() - start;
    ::close(fd);
  }
  return 0;
}

// The sum of a tensor's 64-bit words, which reads every byte (a payload of
// a multiple of 8 bytes).
uint64_t SumWords(const uint8_t* bytes, uint64_t size) {
  uint64_t sum = 0;
  for (uint64_t p = 0; p + 8 <= size; p += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + p, 8);
    sum += word;
  }
  return sum;
}

// c: the process's first open + get of the big tensor, with its resident
// memory after the get and after touching each byte of the tensor; its
// dequantize speed once its pages are mapped; then the median of more opens.
int OpenAndGetBig(const Plan& plan, const std::string& path, Results& r) {
  const PlannedEntry& big = plan.entries[plan.big];
  uint64_t expected = 0;
  for (uint64_t w = 0; w < big.bytes() / 8; ++w) expected += Word(big, w);
  ReadBack check;
  {
    const uint64_t before = ResidentBytes();
    double start = Now();
    const BundleFile file = BundleFile::open(path);
    r.first_open = Now() - start;
    r.rss_after_open = ResidentBytes() - before;
    start = Now();
    const Tensor tensor = file.get(big.name);
    r.first_get = Now() - start;
    r.rss_after_get = ResidentBytes() - before;
    start = Now();
    const uint64_t sum = SumWords(static_cast<const uint8_t*>(tensor.data_ptr()), big.bytes());
    r.first_touch = Now() - start;
    r.rss_after_touch = ResidentBytes() - before;
    if (sum != expected) check.Fail(big, "sum of words", sum, expected);

    std::vector<float> values(static_cast<size_t>(big.numel()), 1.0f);
    tensor.dequantize_into(values.data(), values.size());
    const double dequantized = Now();
    tensor.dequantize_into(values.data(), values.size());
    r.dequantize_resident = Now() - dequantized;
    check.Check(big, tensor, values.data());
  }
  for (double& seconds : r.open_get) {
    const double start = Now();
    const BundleFile file = BundleFile::open(path);
    const Tensor tensor = file.get(big.name);
    seconds = Now() - start;
  }
  return check.Status("open and get");
}

// How d's walk reads each tensor.
enum class Walk {
  kSum,      // sums its bytes (no dequantize)
  kWhole,    // dequantizes it whole into one buffer of the largest tensor's size
  kChunked,  // dequantizes chunk_floats at a time (whole rows) into one reused buffer
};

// Dequantizes tensor's rows in chunks of about chunk_floats into values
// (chunk_floats long, at least one row), checking each chunk's samples.
void DequantizeInChunks(const PlannedEntry& entry, const Tensor& tensor, float* values,
                        size_t chunk_floats, ReadBack& check) {
  const auto row = static_cast<size_t>(entry.cols);
  const auto rows_per_chunk = static_cast<int64_t>(std::max<size_t>(1, chunk_floats / row));
  for (int64_t first = 0; first < entry.rows; first += rows_per_chunk) {
    const int64_t rows = std::min(rows_per_chunk, entry.rows - first);
    const size_t count = static_cast<size_t>(rows) * row;
    tensor.narrow(0, first, rows).dequantize_into(values, count);
    check.CheckValues(entry, values, static_cast<uint64_t>(first) * row, count);
  }
}

// One walker of d: takes the next entry of the file (next, under get_lock,
// which also keeps gets one at a time), gets it, sums or dequantizes it into
// values and checks it, until none is left. Adds the seconds spent on 4-bit
// entries to int4_seconds.
void WalkEntries(const Plan& plan, const BundleFile& file, Walk walk, size_t& next,
                 std::vector<float>& values, std::mutex& get_lock, ReadBack& check, uint64_t& sink,
                 double& int4_seconds) {
  const size_t count = std::min(file.size(), plan.entries.size());
  for (;;) {
    const double start = Now();
    std::unique_lock<std::mutex> lock(get_lock);
    const size_t i = next++;
    if (i >= count) return;
    const PlannedEntry& entry = plan.entries[i];
    if (file.name(i) != entry.name) check.Fail(entry, "name at its index", i, i);
    const Tensor tensor = file.get(entry.name);
    lock.unlock();
    switch (walk) {
      case Walk::kSum:
        sink += SumWords(static_cast<const uint8_t*>(tensor.data_ptr()), entry.bytes());
        check.Check(entry, tensor, nullptr);
        break;
      case Walk::kWhole:
        tensor.dequantize_into(values.data(), static_cast<size_t>(entry.numel()));
        check.Check(entry, tensor, values.data());
        break;
      case Walk::kChunked:
        DequantizeInChunks(entry, tensor, values.data(), values.size(), check);
        check.Check(entry, tensor, nullptr);
        break;
    }
    if (entry.int4) int4_seconds += Now() - start;
  }
}

// d: open, then every tensor in file order: get, then sum its bytes or
// dequantize it into a reused buffer, then check it. With threads > 1, the
// whole-tensor walk splits each dequantize (set_num_threads); the chunked
// walk has one walker per thread instead, each with its own buffer, taking
// entries in file order as it is free, as the library splits no call under
// 2^20 floats.
int ReadAll(const Plan& plan, const std::string& path, int threads, Walk walk, size_t chunk_floats,
            double& seconds, double* int4_seconds = nullptr) {
  const size_t walkers = walk == Walk::kChunked ? static_cast<size_t>(threads) : 1;
  set_num_threads(walk == Walk::kChunked ? 1 : threads);
  int64_t largest = 0, widest = 0;
  for (const PlannedEntry& entry : plan.entries) {
    largest = std::max(largest, entry.numel());
    widest = std::max(widest, entry.cols);
  }
  size_t buffer = 0;
  if (walk == Walk::kWhole) buffer = static_cast<size_t>(largest);
  if (walk == Walk::kChunked) buffer = std::max(chunk_floats, static_cast<size_t>(widest));
  std::vector<std::vector<float>> values(walkers, std::vector<float>(buffer, 1.0f));
  std::vector<ReadBack> checks(walkers);
  std::vector<uint64_t> sinks(walkers, 0);
  std::vector<double> int4(walkers, 0);
  std::mutex get_lock;
  size_t next = 0;
  const double start = Now();
  const BundleFile file = BundleFile::open(path);
  if (file.size() != plan.entries.size()) {
    checks[0].Fail(plan.entries[0], "entry count", file.size(), plan.entries.size());
  }
  std::vector<std::thread> others;
  for (size_t k = 1; k < walkers; ++k) {
    others.emplace_back([&, k] {
      WalkEntries(plan, file, walk, next, values[k], get_lock, checks[k], sinks[k], int4[k]);
    });
  }
  WalkEntries(plan, file, walk, next, values[0], get_lock, checks[0], sinks[0], int4[0]);
  for (std::thread& other : others) other.join();
  seconds = Now() - start;
  if (int4_seconds != nullptr) *int4_seconds = int4[0];
  volatile uint64_t kept = sinks[0];  // the sums are not optimised away
  (void)kept;
  int status = 0;
  for (const ReadBack& check : checks) {
    status |= check.Status(walk == Walk::kSum ? "touch all" : "dequantize all");
  }
  return status;
}

bool ParseOptions(int argc, char** argv, Options& options) {
  const char* tmp = std::getenv("TMPDIR");
  options.dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    char* end = nullptr;
    if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--dir" && has_value) {
      options.dir = argv[++i];
    } else if ((arg == "--gib" || arg == "--mib") && has_value) {
      const double size = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(size > 0) || size > 1024 * 1024) return false;
      options.total_bytes = static_cast<uint64_t>(size * (arg == "--gib" ? 1024 : 1) * kMiB);
    } else if ((arg == "--tensors" || arg == "--threads" || arg == "--int4-every" ||
                arg == "--chunk-kib") &&
               has_value) {
      const long value = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || value < 0 || value > 1000000) return false;
      if (arg == "--tensors") options.tensors = static_cast<size_t>(value);
      if (arg == "--threads") options.threads = static_cast<int>(value);
      if (arg == "--int4-every") options.int4_every = static_cast<size_t>(value);
      if (arg == "--chunk-kib") options.chunk_floats = static_cast<size_t>(value) * 1024 / 4;
    } else {
      return false;
    }
  }
  return options.tensors >= 2 && options.threads >= 1 && options.threads <= 64 &&
         options.chunk_floats >= 1 && options.total_bytes / options.tensors >= 4096;
}

const char* Met(bool met) { return met ? "met" : "NOT met"; }

int Run(const Options& options) {
  const Plan plan = MakePlan(options.total_bytes, options.tensors, options.int4_every);
  const PlannedEntry& big = plan.entries[plan.big];
  uint64_t largest = 0, int4_bytes = 0;
  size_t int4 = 0;
  for (const PlannedEntry& entry : plan.entries) {
    largest = std::max(largest, entry.bytes());
    int4 += entry.int4 ? 1 : 0;
    int4_bytes += entry.int4 ? entry.bytes() : 0;
  }
  const std::string stem = options.dir + "/qtensor_bench_container_" + std::to_string(::getpid());
  const std::string bundle = stem + ".qtc", plain = stem + ".plain";
  Results* r = SharedResults<Results>();
  if (r == nullptr) return 2;
  std::printf("bundle: %zu tensors (%zu qint8 per channel, %zu qint4 per block of %" PRId64
              "), %.3f GiB of payloads, %s %.1f MiB, others %.2f MiB, in %s\n",
              plan.entries.size(), plan.entries.size() - int4, int4, kInt4Block,
              MiB(plan.payload_bytes) / 1024, big.name.c_str(), MiB(big.bytes()),
              MiB(plan.entries[0].bytes()), options.dir.c_str());

  // The plain file is as large as the bundle: the first round's plain write
  // guesses the header's size from the payloads (it is a few MiB).
  int failed = 0;
  const uint64_t plain_bytes = plan.payload_bytes + plan.payload_bytes / 256;
  for (int round = 0; round < kWriteRounds && failed == 0; ++round) {
    // From the second round on, each write follows the removal of a file as
    // large (the last round's bundle, the plain file): the same start for both.
    ::unlink(bundle.c_str());
    failed |=
        Guarded("write plain", [&] { return WritePlain(big, plain_bytes, plain, round, *r); });
    ::unlink(plain.c_str());
    failed |= Guarded("write bundle", [&] { return WriteBundle(plan, bundle, round, *r); });
  }
  if (failed != 0) {
    ::unlink(bundle.c_str());
    return failed;
  }
  const double cached = CachedFraction(bundle);
  failed |= Guarded("read", [&] { return ReadFile(bundle, *r); });
  failed |= Guarded("open and get", [&] { return OpenAndGetBig(plan, bundle, *r); });
  const size_t chunk = options.chunk_floats;
  failed |= Guarded("touch all",
                    [&] { return ReadAll(plan, bundle, 1, Walk::kSum, chunk, r->touch_all); });
  for (int k = 0; k < (options.threads > 1 ? 2 : 1); ++k) {
    const int threads = k == 0 ? 1 : options.threads;
    failed |= Guarded("dequantize all", [&] {
      return ReadAll(plan, bundle, threads, Walk::kWhole, chunk, r->dequantize_all[k]);
    });
    failed |= Guarded("dequantize all in chunks", [&] {
      return ReadAll(plan, bundle, threads, Walk::kChunked, chunk, r->dequantize_chunked[k],
                     k == 0 ? &r->chunked_int4 : nullptr);
    });
  }
  if (!options.keep) ::unlink(bundle.c_str());

  const uint64_t bytes = r->file_bytes;
  const std::vector<double> reads(r->read_seconds, r->read_seconds + kReadPasses);
  const double read_rate = Gb(bytes) / *std::min_element(reads.begin(), reads.end());
  std::printf("file: %.3f GiB (header %.2f MiB), %.1f %% in the page cache after writing\n",
              MiB(bytes) / 1024, MiB(r->header_bytes), cached * 100);
  std::printf("a read() %zu MiB buffer: best %.2f GB/s, median %.2f GB/s (%d passes)\n",
              static_cast<size_t>(kBufferBytes / kMiB), read_rate, Gb(bytes) / Median(reads),
              kReadPasses);

  double writer_rate = 0, plain_rate = 0, add_rate = 0, plain_cache_rate = 0;
  for (int k = 0; k < kWriteRounds; ++k) {
    const double writer = Gb(bytes) / (r->writer_add[k] + r->writer_finish[k]);
    const double plain = Gb(r->plain_bytes) / (r->plain_write[k] + r->plain_sync[k]);
    std::printf(
        "b round %d: plain write() %.2f GB/s (writes %.2f s, fsync + rename %.2f s); "
        "BundleWriter %.2f GB/s (adds %.2f s, finish with fsync %.2f s)\n",
        k + 1, plain, r->plain_write[k], r->plain_sync[k], writer, r->writer_add[k],
        r->writer_finish[k]);
    writer_rate = std::max(writer_rate, writer);
    plain_rate = std::max(plain_rate, plain);
    add_rate = std::max(add_rate, Gb(bytes) / r->writer_add[k]);
    plain_cache_rate = std::max(plain_cache_rate, Gb(r->plain_bytes) / r->plain_write[k]);
  }
  std::printf(
      "b BundleWriter, best round: %.2f GB/s = %.2f x read, %.2f x plain write (%.2f "
      "GB/s); before the fsync: adds %.2f GB/s, plain writes %.2f GB/s\n",
      writer_rate, writer_rate / read_rate, writer_rate / plain_rate, plain_rate, add_rate,
      plain_cache_rate);
  std::printf("b writer peak memory: +%.1f MiB (largest tensor %.1f MiB, file %.0f MiB)\n",
              MiB(r->writer_peak), MiB(largest), MiB(bytes));

  const std::vector<double> opens(r->open_get, r->open_get + kOpens);
  const double open_ms = Median(opens) * 1e3;
  std::printf(
      "c open + get %s: first in the process %.2f ms (open %.2f, get %.2f; then summing its "
      "bytes %.2f ms); then median %.2f ms, max %.2f ms (%d opens)\n",
      big.name.c_str(), (r->first_open + r->first_get) * 1e3, r->first_open * 1e3,
      r->first_get * 1e3, r->first_touch * 1e3, open_ms,
      *std::max_element(opens.begin(), opens.end()) * 1e3, kOpens);
  const uint64_t touched = r->rss_after_touch - r->rss_after_open;
  std::printf(
      "c resident growth from the first open: +%.1f MiB after open, +%.1f MiB after get, "
      "+%.1f MiB after touching every byte (get + touch +%.1f MiB; tensor %.1f MiB, file %.0f "
      "MiB); dequantize once mapped %.2f GB/s of int8\n",
      MiB(r->rss_after_open), MiB(r->rss_after_get), MiB(r->rss_after_touch), MiB(touched),
      MiB(big.bytes()), MiB(bytes), Gb(big.bytes()) / r->dequantize_resident);

  const double touch_rate = Gb(bytes) / r->touch_all;
  std::printf("d open + get + sum bytes, 1 thread: %.2f GB/s = %.2f x read\n", touch_rate,
              touch_rate / read_rate);
  double best_dequantize = 0;
  for (int k = 0; k < (options.threads > 1 ? 2 : 1); ++k) {
    const int threads = k == 0 ? 1 : options.threads;
    const double whole = Gb(bytes) / r->dequantize_all[k];
    const double chunked = Gb(bytes) / r->dequantize_chunked[k];
    best_dequantize = std::max({best_dequantize, whole, chunked});
    std::printf(
        "d open + get + dequantize all, %d thread%s: whole tensors %.2f GB/s of file = "
        "%.2f x read; in chunks of %.0f KiB of floats %.2f GB/s = %.2f x read\n",
        threads, threads == 1 ? "" : "s", whole, whole / read_rate,
        static_cast<double>(chunk) * 4 / 1024, chunked, chunked / read_rate);
  }
  // A narrowed per-block view takes the general dequantize path, not the
  // row-block one: the 4-bit entries' share is shown apart.
  const double int8_rate = Gb(bytes - int4_bytes) / (r->dequantize_chunked[0] - r->chunked_int4);
  std::printf(
      "d in chunks, 1 thread: %zu 4-bit entries (%.1f %% of the file) took %.2f of %.2f s; the "
      "rest %.2f GB/s = %.2f x read\n",
      int4, 100.0 * static_cast<double>(int4_bytes) / static_cast<double>(bytes), r->chunked_int4,
      r->dequantize_chunked[0], int8_rate, int8_rate / read_rate);

  // Getting and touching the tensor adds its size (whether its pages come in
  // at the get or at the touch); the open's own memory (the header's
  // entries) is reported above, not judged here.
  const bool rss_ok = touched < big.bytes() + big.bytes() / 10 && touched > big.bytes() * 9 / 10;
  std::printf(
      "targets: open + get < 50 ms (median) %s; get + touch adds ~ tensor %s; dequantize all >= "
      "0.8 x "
      "read %s; write >= 0.8 x read %s; writer peak < 2 x largest tensor %s\n",
      Met(open_ms < 50), Met(rss_ok), Met(best_dequantize >= 0.8 * read_rate),
      Met(writer_rate >= 0.8 * read_rate), Met(r->writer_peak < 2 * largest));
  if (failed != 0) {
    std::printf("read-back: FAILED (exit status %d)\n", failed);
    return failed;
  }
  std::printf("read-back: PASS (%zu tensors, sampled bytes and values of each)\n",
              plan.entries.size());
  return 0;
}

}  // namespace
}  // namespace qtensor::bench

int main(int argc, char** argv) {
  qtensor::bench::Options options;
  if (!qtensor::bench::ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: %s [--dir DIR] [--gib N | --mib N] [--tensors N (>= 2)] "
                 "[--threads N (1-64)] [--int4-every N (0: none)] [--chunk-kib N] [--keep]\n",
                 argv[0]);
    return 2;
  }
  return qtensor::bench::Run(options);
}

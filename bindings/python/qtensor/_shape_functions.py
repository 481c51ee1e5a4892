"""torch's module functions for the shape views: qtensor.reshape(q, shape)
is q.reshape(shape), and so on."""


def reshape(input, shape):  # noqa: A002 (torch's parameter name)
    """torch.reshape: input.reshape(shape)."""
    return input.reshape(shape)


def flatten(input, start_dim=0, end_dim=-1):  # noqa: A002
    """torch.flatten: input.flatten(start_dim, end_dim)."""
    return input.flatten(start_dim, end_dim)


def squeeze(input, dim=None):  # noqa: A002
    """torch.squeeze: input.squeeze(dim)."""
    return input.squeeze(dim)


def unsqueeze(input, dim):  # noqa: A002
    """torch.unsqueeze: input.unsqueeze(dim)."""
    return input.unsqueeze(dim)

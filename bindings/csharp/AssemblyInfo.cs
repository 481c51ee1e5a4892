// The tests reach the internal native layer (e.g. to check arrays are pinned).
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("QTensor.Tests")]

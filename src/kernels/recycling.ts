// Recycling the memory of arrays that a backward pass has finished with.
//
// A first-order backward pass makes many large arrays that nothing can reach once it returns: the
// gradients of intermediate tensors, and the temporaries inside vjps. Fresh memory is dear in V8:
// each large typed array is a new allocation that the operating system maps and zero-fills page by
// page, and every few tens of megabytes of them start a full garbage collection. So `allocate`
// reuses their ArrayBuffers, zero-filled, instead of making new ones, as PyTorch's caching
// allocator reuses freed blocks.
//
// Only the backward pass knows which arrays are dead, and it decides: it runs under
// `withAllocationLog`, which logs the buffer of every large array `allocate` makes meanwhile, then
// calls `recycle` with the buffers it hands to its caller (the leaves' gradients) to keep. Nothing
// is recycled on a guess: a buffer that was not logged, or that is kept, stays where it is.

/** The most bytes kept for reuse; past it the store is emptied and starts again (a change of shapes). */
const LIMIT_BYTES = 32 * 2 ** 20;

/** Buffers for reuse, by byte length: a float64 array's buffer may come back as a float32 one. */
const store = new Map<number, ArrayBuffer[]>();
let storedBytes = 0;
/** The log of the innermost withAllocationLog, or null outside one. */
let log: ArrayBufferLike[] | null = null;

/** A recycled buffer of exactly `bytes` bytes (not zeroed), or null when there is none. */
export function takeRecycled(bytes: number): ArrayBuffer | null {
  const buffer = store.get(bytes)?.pop();
  if (buffer === undefined) return null;
  storedBytes -= bytes;
  return buffer;
}

/** Called by allocate for every array too large for a slab: logs its buffer when a log is open. */
export function logAllocation(buffer: ArrayBufferLike): void {
  log?.push(buffer);
}

/**
 * Runs `body` and returns its result with the buffers of the large arrays allocated meanwhile. A
 * nested call logs its own only, so a buffer appears in one log at most and is never recycled twice.
 */
export function withAllocationLog<T>(body: () => T): [T, ArrayBufferLike[]] {
  const outer = log;
  const made: ArrayBufferLike[] = [];
  log = made;
  try {
    return [body(), made];
  } finally {
    log = outer;
  }
}

/** Hands the logged buffers back to `allocate`, except those in `keep`. The caller vouches that nothing else can reach them. */
export function recycle(made: ArrayBufferLike[], keep: Set<ArrayBufferLike>): void {
  for (const buffer of made) {
    if (keep.has(buffer) || !(buffer instanceof ArrayBuffer)) continue;
    const bytes = buffer.byteLength;
    if (storedBytes + bytes > LIMIT_BYTES) emptyStore();
    const list = store.get(bytes);
    if (list) list.push(buffer);
    else store.set(bytes, [buffer]);
    storedBytes += bytes;
  }
}

/** Bytes held for reuse: for tests and the memory report. */
export function recycledBytes(): number {
  return storedBytes;
}

function emptyStore(): void {
  store.clear();
  storedBytes = 0;
}

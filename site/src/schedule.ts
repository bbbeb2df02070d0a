// Keeping the page responsive: work is cut into slices, and the browser gets the main thread back
// between them (to paint, and to answer input), so no task runs long.

/** Redraw at most once per animation frame, with the latest state: fifty slider events cost one redraw. */
export function perFrame(work: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      work();
    });
  };
}

/** Runs `work` once things have been still for `quietMs`: one announcement per settled change, not one per event. */
export function whenSettled(work: () => void, quietMs = 400): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(work, quietMs);
  };
}

/** Gives the main thread back to the browser until the next frame. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Gives the main thread back now, without waiting for a frame (frames are rare in a hidden tab). */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The longest a slice of work may hold the main thread. A long task is 50 ms; stay well below. */
const SLICE_MS = 30;

/**
 * Calls `step` until it returns false, yielding whenever a slice has taken SLICE_MS. `isCurrent`
 * lets a newer run cancel an older one between slices. Resolves true when `step` finished.
 */
export async function runSliced(step: () => boolean, isCurrent: () => boolean = () => true): Promise<boolean> {
  for (;;) {
    const started = performance.now();
    while (performance.now() - started < SLICE_MS) {
      if (!step()) return true;
    }
    await yieldToBrowser();
    if (!isCurrent()) return false;
  }
}

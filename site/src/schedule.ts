// Redraw at most once per animation frame, with the latest state: a slider that fires fifty input
// events a second costs one computation per frame, not fifty.
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

/** Yields to the browser so it can paint and handle input between chunks of a long computation. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

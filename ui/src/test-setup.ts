// jsdom has no layout engine and so no ResizeObserver; the virtual list needs one to exist.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;

// jsdom does not scroll; the virtual list scrolls the selected row into view.
if (!Element.prototype.scrollTo) {
  Element.prototype.scrollTo = () => {};
}

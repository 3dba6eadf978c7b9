// Pointer and wheel input on the seat map: a tap (a click, or a touch that did not move), a drag or a one-finger
// swipe pans, two fingers pinch-zoom and pan, the wheel pans (with Ctrl or ⌘, or a trackpad pinch, it zooms).
// Coordinates are CSS pixels relative to `element`.

/** A press that moves less than this is a tap, not a drag. */
const TAP_SLOP = { mouse: 5, pen: 8, touch: 10 };

export function attachPointerInput(element, { onTap, onPan, onZoom, onHover }) {
  const pointers = new Map();
  let dragging = false;
  let pinch = null;

  const local = (event) => {
    const rect = element.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  element.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    element.setPointerCapture(event.pointerId);
    const at = local(event);
    pointers.set(event.pointerId, { start: at, last: at, type: event.pointerType });
    if (pointers.size === 2) pinch = pinchOf();
    if (pointers.size > 1) dragging = true;
  });

  element.addEventListener("pointermove", (event) => {
    const at = local(event);
    const pointer = pointers.get(event.pointerId);
    if (!pointer) {
      if (event.pointerType === "mouse") onHover(at.x, at.y);
      return;
    }
    if (pointers.size === 2 && pinch) {
      pointer.last = at;
      const next = pinchOf();
      onZoom(next.distance / pinch.distance, next.x, next.y);
      onPan(next.x - pinch.x, next.y - pinch.y);
      pinch = next;
      return;
    }
    const moved = Math.hypot(at.x - pointer.start.x, at.y - pointer.start.y);
    if (!dragging && moved > (TAP_SLOP[pointer.type] ?? TAP_SLOP.mouse)) dragging = true;
    if (dragging) onPan(at.x - pointer.last.x, at.y - pointer.last.y);
    pointer.last = at;
  });

  const end = (event, tapped) => {
    const pointer = pointers.get(event.pointerId);
    if (!pointer) return;
    pointers.delete(event.pointerId);
    if (tapped && !dragging && pointers.size === 0) onTap(pointer.last.x, pointer.last.y);
    if (pointers.size < 2) pinch = null;
    if (pointers.size === 0) dragging = false;
  };
  element.addEventListener("pointerup", (event) => end(event, true));
  element.addEventListener("pointercancel", (event) => end(event, false));
  element.addEventListener("pointerleave", (event) => {
    if (event.pointerType === "mouse" && !pointers.has(event.pointerId)) onHover(null, null);
  });

  element.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const at = local(event);
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? element.clientHeight : 1;
      if (event.ctrlKey || event.metaKey) onZoom(Math.exp(-event.deltaY * unit * 0.002), at.x, at.y);
      else onPan(-event.deltaX * unit, -event.deltaY * unit);
    },
    { passive: false },
  );

  function pinchOf() {
    const [a, b] = [...pointers.values()].map((p) => p.last);
    return { distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }
}

// The message line of the side panel (role=alert): errors stay until clicked, other messages hide after 6 s.

export function createMessages() {
  const element = document.getElementById("message");
  let hideTimer = null;

  function show(text, kind = "info") {
    clearTimeout(hideTimer);
    element.hidden = false;
    element.dataset.kind = kind;
    element.textContent = text;
    if (kind !== "error") hideTimer = setTimeout(() => (element.hidden = true), 6000);
  }

  element.addEventListener("click", () => (element.hidden = true));
  return { show };
}

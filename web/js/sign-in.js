// The sign-in card: paste a JWT, or get a dev token from this server's POST /dev/token (when it offers one). The token is kept in
// `session` and in sessionStorage (so a reload stays signed in, a new tab does not).

const TOKEN_KEY = "seat-booking.token";

/** Reads the JWT payload for display. NOT a verification: the server checks the signature on every request. */
function decodeJwt(token) {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const base64 = part
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(part.length / 4) * 4, "=");
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const payload = JSON.parse(json);
    return payload && typeof payload === "object" ? payload : null;
  } catch {
    return null;
  }
}

/**
 * `onSignedIn` / `onSignedOut` run when the user changes (after the session is updated); `onRender` runs whenever
 * the card is redrawn, as other controls depend on being signed in.
 */
export function createSignIn({ session, messages, onSignedIn, onSignedOut, onRender }) {
  const el = {
    signedIn: document.getElementById("signed-in"),
    signedOut: document.getElementById("signed-out"),
    user: document.querySelector('[data-testid="user"]'),
    avatar: document.querySelector("#signed-in .avatar"),
    signOut: document.getElementById("sign-out"),
    tokenForm: document.getElementById("token-form"),
    tokenInput: document.getElementById("token-input"),
    devBox: document.getElementById("dev-box"),
    devForm: document.getElementById("dev-form"),
    devUser: document.getElementById("dev-user"),
    devButton: document.getElementById("dev-form").querySelector("button"),
  };

  /** Signs in again with the token of this tab's session, if there is one that is still valid. */
  function start() {
    // The dev box starts open when the page is served from this machine.
    el.devBox.open = ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved && !signIn(saved, { quiet: true })) sessionStorage.removeItem(TOKEN_KEY);
    renderSignIn();
  }

  function signIn(rawToken, { quiet = false } = {}) {
    const token = rawToken.trim().replace(/^Bearer\s+/i, "");
    const payload = decodeJwt(token);
    if (!payload || typeof payload.sub !== "string") {
      messages.show("That does not look like a JWT (three base64url parts with a `sub` claim).", "error");
      return false;
    }
    if (typeof payload.exp === "number" && payload.exp * 1000 <= Date.now()) {
      messages.show("This token has expired. Get a new one.", "error");
      sessionStorage.removeItem(TOKEN_KEY);
      return false;
    }
    session.token = token;
    session.user = payload.sub;
    sessionStorage.setItem(TOKEN_KEY, token);
    renderSignIn();
    if (!quiet) messages.show(`Signed in as ${payload.sub}.`, "success");
    onSignedIn();
    return true;
  }

  function signOut() {
    session.token = null;
    session.user = null;
    sessionStorage.removeItem(TOKEN_KEY);
    onSignedOut();
    renderSignIn();
  }

  function renderSignIn() {
    const signedIn = Boolean(session.token);
    el.signedIn.hidden = !signedIn;
    el.signedOut.hidden = signedIn;
    el.user.textContent = session.user ?? "";
    el.avatar.textContent = (session.user ?? "?").slice(0, 1).toUpperCase();
    el.tokenInput.value = "";
    onRender();
  }

  async function getDevToken(sub) {
    el.devButton.disabled = true;
    try {
      let response;
      try {
        response = await fetch("/dev/token", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sub }),
        });
      } catch {
        throw new Error("Cannot reach the server.");
      }
      if (response.status === 404) {
        throw new Error(
          "This server does not hand out dev tokens (they are on only with the generated development secret). " +
            `Run \`npm run token -- --sub ${sub}\` where the server runs and paste the token above.`,
        );
      }
      const body = await response.json().catch(() => ({}));
      if (!response.ok || typeof body.token !== "string") {
        throw new Error(body.error ?? `Dev token request failed (${response.status}).`);
      }
      signIn(body.token);
    } catch (error) {
      messages.show(error.message, "error");
    } finally {
      el.devButton.disabled = false;
    }
  }

  el.tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (el.tokenInput.value.trim()) signIn(el.tokenInput.value);
  });
  el.devForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const sub = el.devUser.value.trim();
    if (!/^[\w.@-]{1,64}$/.test(sub)) {
      messages.show("User names are 1–64 letters, digits, and . _ @ -", "error");
      return;
    }
    getDevToken(sub);
  });
  el.signOut.addEventListener("click", () => {
    signOut();
    messages.show("Signed out.", "info");
  });

  return { start, signOut };
}

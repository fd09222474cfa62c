// Starts the app. Trunk would otherwise inline this in index.html, which the page's
// Content-Security-Policy (script-src 'self') forbids; Trunk.toml's `pattern_script` puts a
// <script src="/boot.js"> there instead, with the hashed file names in data attributes.
const tag = document.querySelector('script[data-scaleplay-js]');
const { default: init } = await import(tag.dataset.scaleplayJs);
await init({ module_or_path: tag.dataset.scaleplayWasm });

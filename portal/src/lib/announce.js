// What a screen reader must hear without the focus moving (results found,
// nothing found, a table sorted): one polite live region per page, #status.
export function announce(text) {
  const region = document.getElementById('status');
  if (!region) return;
  // Emptied first, so that the same message said twice is heard twice.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

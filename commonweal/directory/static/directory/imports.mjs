// Import progress: ask the status endpoint every two seconds and show where the run is; reload the page
// when it has finished, so the report appears. Without JavaScript the page has a 'Check progress' link.
const INTERVAL = 2000;

function follow(panel) {
  const url = panel.dataset.importStatusUrl;
  const stage = panel.querySelector("[data-import-stage]");
  const bar = panel.querySelector("[data-import-bar]");
  const count = panel.querySelector("[data-import-count]");
  let lastStage = stage ? stage.textContent : "";

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = status.percent;
          bar.textContent = `${status.percent}%`;
        }
        if (count) count.textContent = status.count;
        // Only change the words when they say something new, so a screen reader is not kept talking.
        if (stage && status.stage !== lastStage) {
          stage.textContent = status.stage;
          lastStage = status.stage;
        }
      }
    } catch {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, INTERVAL);
  }

  window.setTimeout(poll, INTERVAL);
}

for (const panel of document.querySelectorAll("[data-import-status-url]")) {
  follow(panel);
}

/**
 * The console's only assets, served by the app itself (no CDN: it works offline and behind a firewall). Pages are
 * complete without the script: state details open through `#fragment` links and `:target`, forms post normally. The
 * script adds the selected-state highlight and live updates of a running run's page.
 */

export const CONSOLE_CSS = `
:root{--ok:#1b5e20;--ok-bg:#e8f5e9;--bad:#b71c1c;--bad-bg:#ffebee;--caught:#e65100;--caught-bg:#fff3e0;--run:#0d47a1;--run-bg:#e3f2fd;--wait:#6a1b9a;--wait-bg:#f3e5f5;--none:#616161;--none-bg:#fafafa;--line:#d0d4da}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header.top{display:flex;gap:16px;align-items:center;background:#1d2330;color:#fff;padding:8px 20px}
header.top a{color:#fff;text-decoration:none;font-weight:600}
header.top form{margin-left:auto}
main{padding:16px 20px;max-width:1400px}
h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef0f3;font-weight:600}
td.num{text-align:right}
pre{background:#fff;border:1px solid var(--line);padding:8px;overflow:auto;max-height:320px;margin:4px 0;font-size:12px}
button,input,select,textarea{font:inherit}
button{cursor:pointer;padding:4px 12px;border:1px solid #8a93a3;border-radius:4px;background:#fff}
button.danger{border-color:var(--bad);color:var(--bad)}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.filters{display:flex;gap:12px;align-items:end;margin-bottom:12px;flex-wrap:wrap}
.filters label{display:flex;flex-direction:column;font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.b-SUCCEEDED{background:var(--ok-bg);color:var(--ok)}.b-FAILED,.b-TIMED_OUT{background:var(--bad-bg);color:var(--bad)}
.b-ABORTED{background:var(--caught-bg);color:var(--caught)}.b-RUNNING{background:var(--run-bg);color:var(--run)}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}
.meta dt{color:#5a6372}.meta dd{margin:0}
.notice{padding:8px 12px;border-radius:4px;background:#fff8e1;border:1px solid #ffe082;margin:8px 0}
.error{color:var(--bad)}
.graph-wrap{overflow:auto;background:#fff;border:1px solid var(--line);padding:8px}
svg.graph text{font:12px system-ui,sans-serif;fill:#1d2330}
svg.graph .name{font-weight:600}svg.graph .type{font-size:11px;fill:#4b5563}
svg.graph .symbol{font-size:14px;font-weight:700}
svg.graph .edge{fill:none;stroke:#6b7280;stroke-width:1.4}
svg.graph .e-catch{stroke:var(--caught);stroke-dasharray:5 3}
svg.graph .e-default,svg.graph .e-choice{stroke:#374151}
svg.graph .arrowhead{fill:#6b7280}
svg.graph .edge-label{font-size:10px;fill:#374151;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg.graph .marker circle{fill:#374151}
svg.graph .inner-box{fill:#ffffffb0;stroke:#9ca3af;stroke-dasharray:3 3}
svg.graph .inner-label{font-size:11px;fill:#4b5563;font-style:italic}
svg.graph .box{stroke-width:1.6}
svg.graph .state-link{cursor:pointer}
.s-succeeded>a>.box,.s-succeeded>.box{fill:var(--ok-bg);stroke:var(--ok)}.s-succeeded>a>.symbol{fill:var(--ok)}
.s-failed>a>.box,.s-failed>.box{fill:var(--bad-bg);stroke:var(--bad);stroke-width:2.4}.s-failed>a>.symbol{fill:var(--bad)}
.s-caught>a>.box,.s-caught>.box{fill:var(--caught-bg);stroke:var(--caught)}.s-caught>a>.symbol{fill:var(--caught)}
.s-running>a>.box,.s-running>.box{fill:var(--run-bg);stroke:var(--run);stroke-width:2.4}.s-running>a>.symbol{fill:var(--run)}
.s-waiting>a>.box,.s-waiting>.box{fill:var(--wait-bg);stroke:var(--wait)}.s-waiting>a>.symbol{fill:var(--wait)}
.s-not-run>a>.box,.s-not-run>.box{fill:var(--none-bg);stroke:var(--none);stroke-dasharray:4 3}.s-not-run>a>.symbol{fill:var(--none)}
.node.selected>a>.box{stroke-width:3.5;filter:drop-shadow(0 0 3px #1d4ed8)}
.legend{display:flex;gap:14px;flex-wrap:wrap;margin:6px 0;font-size:12px}
.legend span{display:inline-flex;gap:4px;align-items:center}
.legend i{font-style:normal;font-weight:700;display:inline-block;width:18px;height:18px;text-align:center;border:1.5px solid;border-radius:4px;line-height:16px}
.l-succeeded{color:var(--ok);background:var(--ok-bg)}.l-failed{color:var(--bad);background:var(--bad-bg)}.l-caught{color:var(--caught);background:var(--caught-bg)}
.l-running{color:var(--run);background:var(--run-bg)}.l-waiting{color:var(--wait);background:var(--wait-bg)}.l-not-run{color:var(--none);background:var(--none-bg)}
.details{display:none;background:#fff;border:2px solid #1d4ed8;padding:10px 14px;margin:10px 0}
.details:target,.details.open{display:block}
.details h3{margin:0 0 6px;font-size:15px}
.visit{border-top:1px solid var(--line);padding:6px 0}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
.field{margin:10px 0}.field label{display:block;font-weight:600}.field .hint{font-size:12px;color:#5a6372}
.field input[type=text],.field textarea,.field select{width:100%;max-width:640px;padding:4px 6px;border:1px solid #8a93a3;border-radius:4px}
.field.invalid input,.field.invalid textarea,.field.invalid select{border-color:var(--bad);background:var(--bad-bg)}
.field .problem{color:var(--bad);font-size:13px;margin-top:2px}
.signin{max-width:420px;margin:60px auto;background:#fff;padding:20px 24px;border:1px solid var(--line);border-radius:6px}
.signin input{width:100%;padding:6px;margin:6px 0 12px}
.live{font-size:12px;color:var(--run)}
nav.pager{margin:10px 0;display:flex;gap:16px}
`

export const CONSOLE_JS = `(() => {
  'use strict'
  const select = (name) => {
    for (const node of document.querySelectorAll('.node.selected')) node.classList.remove('selected')
    for (const panel of document.querySelectorAll('.details.open')) panel.classList.remove('open')
    if (!name) return
    for (const node of document.querySelectorAll('.node[data-state]')) {
      if (node.getAttribute('data-state') === name) node.classList.add('selected')
    }
    for (const panel of document.querySelectorAll('.details[data-state]')) {
      if (panel.getAttribute('data-state') === name) panel.classList.add('open')
    }
  }
  let selected = null
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.state-link')
    if (!link) return
    const node = link.closest('.node[data-state]')
    if (!node) return
    selected = node.getAttribute('data-state')
    select(selected)
  })
  const fromHash = () => {
    const panel = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null
    if (panel && panel.classList.contains('details')) { selected = panel.getAttribute('data-state'); select(selected) }
  }
  window.addEventListener('hashchange', fromHash)
  fromHash()

  // Live updates: a running run's page asks for its parts until the run ends (polling: works through any proxy and
  // on FaaS, where a held-open stream costs a running function).
  const root = document.querySelector('[data-live-url]')
  if (!root) return
  const url = root.getAttribute('data-live-url')
  const indicator = document.querySelector('[data-part-status]')
  let failures = 0
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      if (response.status === 401 || response.redirected) { location.reload(); return }
      if (!response.ok) throw new Error(String(response.status))
      const update = await response.json()
      failures = 0
      for (const [part, markup] of Object.entries(update.parts)) {
        const element = document.querySelector('[data-part="' + part + '"]')
        if (element) element.innerHTML = markup
      }
      root.setAttribute('data-run-status', update.status)
      if (selected) select(selected)
      if (update.status !== 'RUNNING') { if (indicator) indicator.textContent = ''; return }
    } catch (error) {
      failures += 1
      if (indicator) indicator.textContent = 'live updates paused (' + error.message + '), retrying…'
    }
    setTimeout(tick, Math.min(1000 * 2 ** failures, 15000))
  }
  setTimeout(tick, 1000)
})()
`

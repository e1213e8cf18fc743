// Served from /assets/app.css: kept in a module rather than a file so the bundled service carries it.
export const appCss = `
:root {
  --bg: #f6f7f9; --panel: #fff; --text: #1d2430; --muted: #5b6576; --line: #dde1e7;
  --accent: #2357c6; --accent-text: #fff; --danger: #b3261e; --ok: #1e7a3c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
a { color: var(--accent); }
header.top { background: var(--panel); border-bottom: 1px solid var(--line); }
header.top .bar { max-width: 64rem; margin: 0 auto; padding: .6rem 1rem; display: flex; gap: 1.5rem; align-items: center; }
header.top .brand { font-weight: 600; color: var(--text); text-decoration: none; }
nav.main { display: flex; gap: 1rem; flex: 1; }
nav.main a { color: var(--muted); text-decoration: none; padding: .25rem 0; }
nav.main a[aria-current="page"] { color: var(--text); border-bottom: 2px solid var(--accent); }
.who { color: var(--muted); display: flex; gap: .75rem; align-items: center; }
main { max-width: 64rem; margin: 1.5rem auto; padding: 0 1rem; }
main.narrow { max-width: 24rem; margin-top: 12vh; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .75rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem; }
form.stack { display: grid; gap: .75rem; }
form.inline { display: inline-flex; gap: .5rem; align-items: center; margin: 0; }
label { display: grid; gap: .25rem; font-weight: 500; }
input, select { font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
button, .button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-text); cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--text); border-color: var(--line); }
button.danger { background: var(--danger); border-color: var(--danger); }
button.link { background: none; border: none; color: var(--accent); padding: 0; }
.error { background: #fdecea; color: var(--danger); border: 1px solid #f5c2bf; border-radius: 6px; padding: .6rem .8rem; }
.notice { background: #e8f5ec; color: var(--ok); border: 1px solid #bfe3cb; border-radius: 6px; padding: .6rem .8rem; }
table { width: 100%; border-collapse: collapse; background: var(--panel); }
th, td { text-align: left; padding: .55rem .6rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { color: var(--muted); font-weight: 500; font-size: .9rem; }
.muted { color: var(--muted); }
.tag { font-size: .8rem; padding: .1rem .45rem; border-radius: 999px; background: #eef1f6; color: var(--muted); }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; }
textarea { font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; width: 100%; }
textarea.code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: #f1f3f6; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
pre.secret { font-size: 1rem; user-select: all; }
details summary { cursor: pointer; color: var(--accent); }
section.tool { margin-bottom: 1rem; }
section.tool h2 { margin-top: 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; display: grid; gap: .35rem; }
label.check { display: flex; gap: .4rem; align-items: center; font-weight: 400; }
label.check.indent { margin-left: 1.5rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
td.bad { color: var(--danger); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; }
.stat { padding: .8rem 1rem; }
.stat .figure { font-size: 1.3rem; font-weight: 600; }
.status { font-weight: 600; }
.status.ok { color: var(--ok); }
.status.bad { color: var(--danger); }
table.calls meter { width: 12rem; }
form.search { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; }
ul.notes { list-style: none; padding: 0; display: grid; gap: .75rem; }
ul.notes .title { font-weight: 600; }
ul.notes .excerpt { margin: .4rem 0 0; }
a.tag { text-decoration: none; margin-right: .25rem; }
pre.note-body { background: var(--panel); font-size: .95rem; }
mark { background: #fff3b0; }
.small { font-size: .85rem; }
.tag.pending { background: #fff3d6; color: #8a5300; }
.warning { background: #fff8e6; border: 1px solid #f1d9a0; border-radius: 6px; padding: .6rem .8rem; margin: .75rem 0; }
.warning ul { margin: .4rem 0 0; padding-left: 1.2rem; }
section.pending { margin: 1rem 0; border-color: #f1d9a0; }
pre.diff span { display: block; }
pre.diff .add { background: #e6f4ea; color: #1e5c30; }
pre.diff .del { background: #fdecea; color: #8c1d18; }
pre.diff .skip { color: var(--muted); }
table.tools td, table.operations td { vertical-align: top; }
figure.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -1px; margin-left: .5rem; }
.swatch.calls { background: #2357c6; }
.swatch.errors { background: #b3261e; }
.prompt-row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
.prompt-row .grow { flex: 1; min-width: 16rem; }
.prompt-row.message { align-items: start; }
table.versions td { vertical-align: top; }
table.versions details { margin-bottom: .4rem; }
`;

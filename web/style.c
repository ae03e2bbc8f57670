/* style: the board's one small stylesheet, served as /style.css. Readable
 * on a phone: one column, system fonts, tables that scroll sideways. */
#include "web/pages.h"

const char web_style_css[] =
	":root{color-scheme:light dark;--fg:#1d232a;--bg:#fff;--mute:#5c6670;"
	"--line:#d8dde2;--late:#b3261e;--ok:#1b6e3a}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--bg:#15191d;"
	"--mute:#a3adb6;--line:#333b42;--late:#ff8a80;--ok:#7ed69b}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,-apple-system,\"Segoe UI\",sans-serif;"
	"color:var(--fg);background:var(--bg)}\n"
	"header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}\n"
	"h1{font-size:1.5rem;margin:1rem 0 .25rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;"
	"border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:1rem 0 .25rem}\n"
	".mute,footer{color:var(--mute);font-size:.9rem}\n"
	".wide{overflow-x:auto}table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;"
	"border-bottom:1px solid var(--line)}\n"
	".late{color:var(--late);font-weight:600}.ok{color:var(--ok)}\n"
	"dl{margin:.25rem 0 .5rem}dt{font-weight:600}dd{margin:0 0 .25rem 1rem}\n"
	"ol,ul{padding-left:1.25rem}li{margin:.35rem 0}\n"
	"form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}\n"
	"label{display:flex;flex-direction:column;font-size:.9rem}\n"
	"input,button{font:inherit;padding:.3rem .5rem}\n"
	"a{color:inherit}\n";

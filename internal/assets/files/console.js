// The console's behaviour beyond htmx, as a file: console pages allow no
// inline script (script-src 'self'), so it is all wired by data attributes.
(function(){
// data-confirm="question" on a form (asked on submit) or on a button or
// link (asked on click): nothing happens unless the person agrees.
function ask(e){var el=e.target.closest("[data-confirm]");
if(!el||(e.type==="click"&&el.tagName==="FORM"))return;
if(!window.confirm(el.getAttribute("data-confirm"))){e.preventDefault();e.stopImmediatePropagation();}}
document.addEventListener("submit",ask,true);
document.addEventListener("click",ask,true);
// Polling (hx-trigger="every …") pauses while the tab is hidden; a poller
// that also lists the event "visible" (hx-trigger="every 30s, visible")
// refreshes as soon as the tab is shown again.
function polls(el){return /(^|[\s,])every\s/.test(el.getAttribute("hx-trigger")||"");}
document.addEventListener("htmx:beforeRequest",function(e){if(document.hidden&&polls(e.detail.elt))e.preventDefault();});
document.addEventListener("visibilitychange",function(){if(document.hidden)return;
[].forEach.call(document.querySelectorAll("[hx-trigger]"),function(el){if(polls(el))el.dispatchEvent(new Event("visible"));});});
// A form answered 422 (something to correct) or 429 (a limit reached)
// comes back as the part of the page to show, as it does without
// JavaScript: htmx would otherwise drop any answer that is not 2xx.
document.addEventListener("htmx:beforeSwap",function(e){var s=e.detail.xhr.status;
if(s===422||s===429){e.detail.shouldSwap=true;e.detail.isError=false;}});
// A refresh of the dashboard's live part keeps what the person opened
// (<details> with an id stay open) and where they were on the page.
var kept=null;
document.addEventListener("htmx:beforeSwap",function(e){if(!polls(e.detail.elt))return;
kept={y:window.scrollY,open:[].map.call(document.querySelectorAll("details[open][id]"),function(d){return d.id;})};});
document.addEventListener("htmx:afterSwap",function(){if(!kept)return;
kept.open.forEach(function(id){var d=document.getElementById(id);if(d)d.open=true;});
window.scrollTo(0,kept.y);kept=null;});
// On a touch screen the map's first tap on an area names it in the
// caption; a second tap on the same area follows its link.
var tapped=null;
document.addEventListener("click",function(e){var a=e.target.closest(".map a");if(!a||!window.matchMedia("(hover: none)").matches)return;
var cap=document.getElementById("map-name");if(!cap||tapped===a)return;
e.preventDefault();tapped=a;var t=a.querySelector("title");cap.textContent=t?t.textContent:"";});
})();

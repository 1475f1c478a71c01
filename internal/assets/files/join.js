// The join form's district filter for the AC list and its "use my
// location" button. Served as a file: pages allow no inline script.
(function(){var d=document.getElementById("f-district"),a=document.getElementById("f-ac");
function filt(){var v=d.value;[].forEach.call(a.querySelectorAll("optgroup"),function(g){var show=!v||g.getAttribute("data-district")===v;g.hidden=!show;g.disabled=!show;});
var o=a.options[a.selectedIndex];if(o&&o.parentNode.disabled){a.value="";}}
d.addEventListener("change",filt);filt();
if(navigator.geolocation){var b=document.getElementById("locate");b.hidden=false;document.getElementById("locate-hint").hidden=false;
b.addEventListener("click",function(){navigator.geolocation.getCurrentPosition(function(p){
document.getElementById("f-lat").value=p.coords.latitude;document.getElementById("f-lon").value=p.coords.longitude;
var f=document.getElementById("join"),i=document.createElement("input");i.type="hidden";i.name="locate";i.value="1";f.appendChild(i);f.submit();},function(){},{timeout:15000});});}})();

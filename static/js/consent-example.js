/* An example of a script that needs consent: the cookie settings page loads it as
   <script type="text/plain" data-category="..."> and the banner runs it only after consent.
   It shows that it ran; a real one would start analytics or the like. */
(function () {
  "use strict";
  var script = document.currentScript;
  var category = script && script.getAttribute("data-example");
  var note = category && document.getElementById("consent-example-" + category);
  if (note) {
    note.hidden = false;
  }
}());

// A page that waits for something to happen elsewhere (the payment gateway's confirmation, a
// citizen invited to rate at the counter) loads itself again every few seconds, as its
// <meta name="motcua-refresh" content="seconds"> says. Without JavaScript the page shows a
// "load again" link instead. (A meta refresh would do the same without script, but takes the
// control away from people who use assistive technology: WCAG 2.2.1.)
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="motcua-refresh"]');
  var seconds = meta ? parseInt(meta.getAttribute("content"), 10) : 0;
  if (seconds > 0) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();

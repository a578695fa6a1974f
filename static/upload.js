// Progressive enhancement of the upload forms: the same POST, sent with XMLHttpRequest so that
// a progress bar can show how much of the file has gone. Without JavaScript the form posts as
// usual.
(function () {
  "use strict";
  document.querySelectorAll("form.upload-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      event.preventDefault();
      var bar = form.querySelector("progress") || document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", form.getAttribute("data-progress-label") || "");
      form.appendChild(bar);
      var button = form.querySelector("button");
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", function () {
        // the response is the page the form leads to (after its redirect): show it as it
        // came, so that its confirmation or its errors are not fetched a second time
        if (xhr.status < 400 && xhr.responseURL) {
          window.history.replaceState(null, "", xhr.responseURL);
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        if (button) button.disabled = false;
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  });
})();

/* A button that prints the page it is on (the documents officials stamp and file). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});

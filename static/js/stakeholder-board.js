/* The stakeholder board: drag a card onto another column to move it to that stage.
   The move is the same POST as the card's own form (which works without JavaScript);
   HTMX sends it and swaps in the board the server returns. */
(function () {
  "use strict";
  var dragged = null;

  function column(target) {
    return target && target.closest ? target.closest(".column[data-stage]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest("[data-stage-url]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".column.drop-target").forEach(function (el) {
      el.classList.remove("drop-target");
    });
  });

  document.addEventListener("dragover", function (event) {
    var col = column(event.target);
    if (!col || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    col.classList.add("drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var col = column(event.target);
    if (col && !col.contains(event.relatedTarget)) col.classList.remove("drop-target");
  });

  document.addEventListener("drop", function (event) {
    var col = column(event.target);
    if (!col || !dragged) return;
    event.preventDefault();
    col.classList.remove("drop-target");
    var card = dragged;
    if (card.dataset.stage === col.dataset.stage) return;
    card.classList.add("moving");
    window.htmx.ajax("POST", card.dataset.stageUrl, {
      source: card,
      target: "#board",
      swap: "outerHTML",
      values: { stage: col.dataset.stage },
    });
  });
})();

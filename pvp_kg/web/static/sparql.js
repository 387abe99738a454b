// The SPARQL editor: posts the query to /query (SPARQL 1.1 Protocol) and shows the rows.
// No library: everything this page runs is this file, served by the pvp_kg server itself.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var text = document.getElementById("sparql-text");
  var status = document.getElementById("sparql-status");
  var table = document.getElementById("sparql-results");
  var examples = document.getElementById("examples");

  function cell(tag, value) {
    var el = document.createElement(tag);
    el.textContent = value;
    return el;
  }

  function show(json) {
    table.textContent = "";
    if (typeof json.boolean === "boolean") {
      status.textContent = "ASK: " + (json.boolean ? "yes" : "no");
      return;
    }
    var vars = json.head.vars;
    var head = document.createElement("tr");
    vars.forEach(function (v) { head.appendChild(cell("th", v)); });
    table.appendChild(head);
    json.results.bindings.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell("td", row[v] ? row[v].value : "")); });
      table.appendChild(tr);
    });
    status.textContent = json.results.bindings.length + " rows";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "running…";
    table.textContent = "";
    fetch("/query", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.5"},
      body: text.value
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (type.indexOf("json") >= 0) {
        return response.json().then(function (json) {
          if (!response.ok) { status.textContent = "error: " + (json.error || response.status); }
          else { show(json); }
        });
      }
      return response.text().then(function (body) {
        if (!response.ok) { status.textContent = "error: " + body; return; }
        status.textContent = "graph result:";
        var tr = document.createElement("tr");
        tr.appendChild(cell("td", body));
        table.appendChild(tr);
      });
    }).catch(function (err) { status.textContent = "error: " + err; });
  });

  examples.addEventListener("change", function () {
    var chosen = examples.options[examples.selectedIndex];
    if (chosen && chosen.dataset.text) { text.value = chosen.dataset.text; }
  });

  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();

// /curate: the country, institution and person fields complete through the reconciliation
// service's suggest endpoint (/reconcile/suggest/entity). A field holds names separated by
// ";": the suggestions complete the last one, keeping those before it.
(function () {
  "use strict";
  const fields = document.querySelectorAll("input[data-suggest]");
  for (const input of fields) {
    const list = document.getElementById(input.getAttribute("list"));
    let asked = 0;
    input.addEventListener("input", async () => {
      const value = input.value;
      const cut = value.lastIndexOf(";");
      const before = cut < 0 ? "" : value.slice(0, cut + 1) + " ";
      const prefix = value.slice(cut + 1).trim();
      if (prefix.length < 2) { list.replaceChildren(); return; }
      const ask = ++asked;
      const url = "/reconcile/suggest/entity?" + new URLSearchParams(
        {prefix: prefix, type: input.dataset.suggest, limit: "8"});
      const response = await fetch(url, {headers: {Accept: "application/json"}});
      if (!response.ok || ask !== asked) return;
      const found = (await response.json()).result || [];
      list.replaceChildren(...found.map((r) => {
        const option = document.createElement("option");
        option.value = before + r.name;
        option.label = r.description ? r.name + " (" + r.description + ")" : r.name;
        option.dataset.id = r.id;
        return option;
      }));
    });
  }
})();

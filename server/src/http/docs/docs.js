// Renders /api/openapi.json as a browsable list, without third-party code, so the
// page works offline and under the app's strict Content-Security-Policy.
"use strict";

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  (children || []).forEach((c) => node.append(c));
  return node;
}

function resolveRef(doc, schema) {
  if (schema && schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return { name, schema: doc.components.schemas[name] };
  }
  return { name: null, schema };
}

function schemaBlock(doc, schema) {
  const { name, schema: resolved } = resolveRef(doc, schema);
  const text = (name ? name + " = " : "") + JSON.stringify(resolved, null, 2);
  return el("pre", {}, [text]);
}

function render(doc) {
  const main = document.getElementById("routes");
  main.replaceChildren();
  const byTag = {};
  Object.entries(doc.paths).forEach(([path, item]) => {
    Object.entries(item).forEach(([method, op]) => {
      const tag = (op.tags && op.tags[0]) || "khác";
      (byTag[tag] = byTag[tag] || []).push({ path, method, op });
    });
  });
  const tagInfo = Object.fromEntries((doc.tags || []).map((t) => [t.name, t.description]));
  Object.keys(byTag).sort().forEach((tag) => {
    main.append(el("h2", {}, [tagInfo[tag] ? `${tagInfo[tag]} (${tag})` : tag]));
    byTag[tag].forEach(({ path, method, op }) => {
      const body = el("div", { class: "body" }, []);
      if (op.description || op.summary) body.append(el("p", {}, [op.description || op.summary]));
      if (op.parameters && op.parameters.length) {
        const rows = op.parameters.map((p) =>
          el("tr", {}, [el("td", {}, [p.name]), el("td", {}, [p.in]), el("td", {}, [p.required ? "bắt buộc" : "tuỳ chọn"]), el("td", {}, [p.description || ""])]));
        body.append(el("h4", {}, ["Tham số"]), el("table", {}, rows));
      }
      const req = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
      if (req) body.append(el("h4", {}, ["Nội dung gửi (JSON)"]), schemaBlock(doc, req.schema));
      const rows = Object.entries(op.responses || {}).map(([code, r]) => {
        const json = r.content && r.content["application/json"];
        const ref = json ? resolveRef(doc, json.schema).name || "" : "";
        return el("tr", {}, [el("td", {}, [code]), el("td", {}, [r.description || ""]), el("td", {}, [ref])]);
      });
      body.append(el("h4", {}, ["Phản hồi"]), el("table", {}, rows));
      const summary = el("summary", {}, [
        el("span", { class: "method " + method }, [method]),
        el("span", { class: "path" }, [path]),
        el("span", {}, [op.summary || ""]),
      ]);
      main.append(el("details", { "data-search": (method + " " + path + " " + (op.summary || "")).toLowerCase() }, [summary, body]));
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  fetch("/api/openapi.json")
    .then((r) => r.json())
    .then((doc) => {
      render(doc);
      document.getElementById("filter").addEventListener("input", (e) => {
        const q = e.target.value.toLowerCase();
        document.querySelectorAll("details").forEach((d) => {
          d.hidden = q !== "" && !d.dataset.search.includes(q);
        });
      });
    })
    .catch(() => {
      document.getElementById("routes").textContent = "Không tải được tài liệu API.";
    });
});

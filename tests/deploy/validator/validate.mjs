// Validates every document of the given multi-document YAML files against the Kubernetes
// schemas (kubernetes-models: the API's OpenAPI definitions compiled to validators), the
// Prometheus Operator's, and Strimzi's KafkaTopic. Also checks what the API server would refuse
// that those schemas do not express: names, label values, duplicates.
//
//   node validate.mjs rendered/minimal.yaml rendered/production.yaml
//
// Prints one line per document ("ok <file> <Kind>/<name>" or "error <file> <Kind>/<name>: ...")
// and a summary line; exits 1 when any document is invalid or of a kind it cannot check.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// Kinds whose names become DNS labels (Service names are host names; pods get them as prefixes).
const LABEL_NAMED = new Set(["Service", "Namespace"]);

// Strimzi's KafkaTopic (kafka.strimzi.io/v1beta2), the fields of its CRD's schema that matter.
const kafkaTopicSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "kafka.strimzi.io/v1beta2" },
    kind: { const: "KafkaTopic" },
    metadata: {
      type: "object",
      required: ["name", "labels"],
      properties: {
        labels: { type: "object", required: ["strimzi.io/cluster"] },
      },
    },
    spec: {
      type: "object",
      additionalProperties: false,
      properties: {
        topicName: { type: "string" },
        partitions: { type: "integer", minimum: 1 },
        replicas: { type: "integer", minimum: 1, maximum: 32767 },
        config: { type: "object" },
      },
    },
  },
};
const validateKafkaTopic = new Ajv({ allErrors: true }).compile(kafkaTopicSchema);

async function modelFor(apiVersion, kind) {
  if (apiVersion === "kafka.strimzi.io/v1beta2" && kind === "KafkaTopic") {
    return {
      validate(doc) {
        if (!validateKafkaTopic(doc)) {
          throw new Error(validateKafkaTopic.errors.map((e) => `${e.instancePath} ${e.message}`).join("; "));
        }
      },
    };
  }
  const module = apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  let exports;
  try {
    exports = await import(module);
  } catch (e) {
    return null;
  }
  const Model = exports[kind];
  if (!Model) return null;
  return { validate: (doc) => new Model(doc).validate() };
}

function apiServerChecks(doc) {
  const problems = [];
  const name = doc.metadata?.name;
  if (typeof name !== "string" || !name) problems.push("metadata.name is missing");
  else {
    if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) problems.push(`name ${name} is not a DNS subdomain`);
    if (LABEL_NAMED.has(doc.kind) && (name.length > 63 || !DNS_LABEL.test(name))) {
      problems.push(`name ${name} is not a DNS label (63 characters at most)`);
    }
  }
  const labelSets = [doc.metadata?.labels, doc.spec?.template?.metadata?.labels, doc.spec?.selector?.matchLabels];
  for (const labels of labelSets) {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (typeof v !== "string") problems.push(`label ${k} is not a string`);
      else if (v.length > 63 || !LABEL_VALUE.test(v)) problems.push(`label ${k}=${v} is not a valid label value`);
    }
  }
  for (const annotations of [doc.metadata?.annotations, doc.spec?.template?.metadata?.annotations]) {
    for (const [k, v] of Object.entries(annotations ?? {})) {
      if (typeof v !== "string") problems.push(`annotation ${k} is not a string`);
    }
  }
  // A selector must select the pod template's labels, or the API server refuses the workload.
  const match = doc.spec?.selector?.matchLabels;
  const podLabels = doc.spec?.template?.metadata?.labels;
  if (match && podLabels && ["Deployment", "StatefulSet", "DaemonSet"].includes(doc.kind)) {
    for (const [k, v] of Object.entries(match)) {
      if (podLabels[k] !== v) problems.push(`selector ${k}=${v} does not match the pod template`);
    }
  }
  return problems;
}

let ok = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const seen = new Set();
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  for (const parsed of documents) {
    if (parsed.errors.length) {
      console.log(`error ${file}: YAML: ${parsed.errors.map((e) => e.message).join("; ")}`);
      failed++;
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) continue;
    const id = `${doc.kind}/${doc.metadata?.name}`;
    const problems = [];
    if (!doc.apiVersion || !doc.kind) problems.push("apiVersion and kind are required");
    else {
      const model = await modelFor(doc.apiVersion, doc.kind);
      if (!model) problems.push(`no schema for ${doc.apiVersion} ${doc.kind}`);
      else {
        try {
          model.validate(doc);
        } catch (e) {
          problems.push(e.message);
        }
      }
    }
    problems.push(...apiServerChecks(doc));
    const key = `${doc.apiVersion}|${doc.kind}|${doc.metadata?.namespace ?? ""}|${doc.metadata?.name}`;
    if (seen.has(key)) problems.push("a second document with the same kind and name");
    seen.add(key);
    if (problems.length) {
      console.log(`error ${file} ${id}: ${problems.join("; ")}`);
      failed++;
    } else {
      console.log(`ok ${file} ${id}`);
      ok++;
    }
  }
}
console.log(`validated: ${ok} valid, ${failed} invalid`);
process.exit(failed === 0 && ok > 0 ? 0 : 1);

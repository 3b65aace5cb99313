"use strict";
// Creates cdk8s ApiObjects from manifests that constructs_lib sends as JSON text.
//
// Each jsii request costs a round trip between Python and Node.js, and the
// jsii kernel decodes a nested value (such as a Deployment's spec) slowly,
// node by node. Emitter.emit builds one object in one request, from a string
// that JSON.parse decodes natively, and EmittingConstruct also creates the
// construct that contains the object in that request. Both create exactly
// what constructs_lib's portable path creates through the public cdk8s API,
// so that the two paths synthesize identical YAML.
const { ApiObject, Chart, JsonPatch, Names, Yaml, YamlOutputType } = require("cdk8s");
const { Construct } = require("constructs");

// The fields that the ApiObject constructor takes. Every other top-level field
// is added by a JSON patch, because cdk8s sorts the keys of the constructor's
// props at synthesis and a patch keeps them in the manifest's order.
const HEADER_KEYS = new Set(["apiVersion", "kind", "metadata"]);
// The metadata fields that constructs_lib passes to the ApiObject constructor.
const METADATA_KEYS = ["name", "namespace", "labels", "annotations"];

class Emitter {
  static emit(scope, id, manifestJson) {
    const manifest = JSON.parse(manifestJson);
    const source = manifest.metadata ?? {};
    const metadata = {};
    for (const key of METADATA_KEYS) {
      if (source[key] != null) {
        metadata[key] = source[key];
      }
    }
    const apiObject = new ApiObject(scope, id, {
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      metadata,
    });
    const patches = Object.keys(manifest)
      .filter((key) => !HEADER_KEYS.has(key))
      .map((key) => JsonPatch.add(`/${key}`, manifest[key]));
    if (patches.length > 0) {
      apiObject.addJsonPatch(...patches);
    }
    return apiObject;
  }

  static chartId(scope) {
    return Chart.of(scope).node.id;
  }

  // Returns, as JSON text, each chart's documents and the YAML text of a file
  // that holds them, as app.synth() writes it. Through the cdk8s Python API,
  // the same data costs a request per chart whose documents the kernel encodes
  // and decodes node by node, both ways.
  static renderCharts(app) {
    return JSON.stringify(
      app.charts.map((chart) => {
        const documents = chart.toJson();
        return { documents, yaml: Yaml.stringify(...documents) };
      }),
    );
  }

  // Returns, as JSON text, what app.synth() of cdk8s 2.70 writes, so that
  // constructs_lib can write the files itself without a YAML rendering in
  // Node.js: {"supported": false} when app.synth() would name or write files
  // differently from this method, else the construct validation errors
  // formatted as app.synth() formats them, else each chart's file name and
  // documents. Like app.synth(), it validates before it resolves dependencies.
  static chartFiles(app) {
    const constructs = app.node.findAll();
    const supported =
      app.yamlOutputType === YamlOutputType.FILE_PER_CHART &&
      !app.recordConstructMetadata &&
      !hasChartDependencies(constructs);
    if (!supported) {
      return JSON.stringify({ supported: false });
    }
    const errors = [];
    for (const construct of constructs) {
      for (const error of construct.node.validate()) {
        errors.push(`[${construct.node.path}] ${error}`);
      }
    }
    if (errors.length > 0) {
      return JSON.stringify({ supported: true, errors, files: [] });
    }
    const files = app.charts.map((chart) => ({
      name: Names.toDnsLabel(chart) + app.outputFileExtension,
      documents: chart.toJson(),
    }));
    return JSON.stringify({ supported: true, errors, files });
  }
}

// Whether app.synth() would find dependent charts and so prefix every file
// name with the chart's index: a chart nested in another chart, or a
// construct that depends on a construct of another chart.
function hasChartDependencies(constructs) {
  for (const construct of constructs) {
    if (construct instanceof Chart && construct.node.scope instanceof Chart) {
      return true;
    }
    for (const dependency of construct.node.dependencies) {
      if (Chart.of(construct) !== Chart.of(dependency)) {
        return true;
      }
    }
  }
  return false;
}

// A plain Construct that creates its one ApiObject child in its constructor, so
// that a Python construct and its object cost a single jsii request.
class EmittingConstruct extends Construct {
  constructor(scope, id, objectId, manifestJson) {
    super(scope, id);
    Emitter.emit(this, objectId, manifestJson);
  }
}

exports.Emitter = Emitter;
exports.EmittingConstruct = EmittingConstruct;

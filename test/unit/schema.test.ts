import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACT_KINDS, EVAL_FORMATS } from '../../server/src/core/manifest/model';
import { MANIFEST_FIELDS } from '../../server/src/core/manifest/parse';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  required?: string[];
  enum?: string[];
  additionalProperties?: boolean | SchemaNode;
  allOf?: SchemaNode[];
  items?: SchemaNode;
  $ref?: string;
  description?: string;
}

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../schemas/counterpart.schema.json'), 'utf8')) as SchemaNode & { definitions: Record<string, SchemaNode> };

function fieldsOf(node: SchemaNode): { names: string[]; required: string[] } {
  return { names: Object.keys(node.properties ?? {}).sort(), required: [...(node.required ?? [])].sort() };
}

function specOf(spec: Readonly<Record<string, string>>): { names: string[]; required: string[] } {
  return { names: Object.keys(spec).sort(), required: Object.keys(spec).filter((k) => spec[k] === 'required').sort() };
}

function enumAt(node: SchemaNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.enum) return node.enum;
  for (const part of node.allOf ?? []) {
    const e = enumAt(part.$ref ? schema.definitions[part.$ref.replace('#/definitions/', '')] : part);
    if (e) return e;
  }
  return undefined;
}

describe('manifest JSON Schema', () => {
  it('allows and requires exactly the fields the parser does', () => {
    assert.deepEqual(fieldsOf(schema), specOf(MANIFEST_FIELDS.top));
    for (const part of ['owner', 'artifact', 'intent', 'surface'] as const) {
      assert.deepEqual(fieldsOf(schema.definitions[part]), specOf(MANIFEST_FIELDS[part]), part);
      assert.equal(schema.definitions[part].additionalProperties, false, `${part} rejects unknown fields`);
    }
  });

  it('lists the same kinds and formats, and describes every field for hovers', () => {
    assert.deepEqual(enumAt(schema.definitions.artifact.properties?.kind), [...ARTIFACT_KINDS]);
    assert.deepEqual(enumAt(schema.definitions.artifact.properties?.format), [...EVAL_FORMATS]);
    for (const part of ['owner', 'artifact', 'intent', 'surface']) {
      for (const [name, prop] of Object.entries(schema.definitions[part].properties ?? {})) {
        assert.ok(prop.description && prop.description.length > 10, `${part}.${name} has a description`);
      }
    }
  });
});

/**
 * Keeps the package.json files consistent: every external dependency is pinned exactly, and one
 * that several packages share is declared once, in the pnpm catalog (pnpm-workspace.yaml).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifests = ['packages', 'apps'].flatMap((folder) =>
  readdirSync(join(root, folder)).map((name) => {
    const manifest = JSON.parse(readFileSync(join(root, folder, name, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    return { name: manifest.name, dependencies: { ...manifest.dependencies, ...manifest.devDependencies } };
  }),
);
const external = (version: string) => !version.startsWith('workspace:');

describe('workspace dependencies', () => {
  it('pins every external dependency exactly, or takes it from the catalog', () => {
    for (const { name, dependencies } of manifests) {
      for (const [dependency, version] of Object.entries(dependencies).filter(([, v]) => external(v))) {
        expect(version, `${name} → ${dependency}`).toMatch(/^(catalog:|\d+\.\d+\.\d+(-[\w.-]+)?)$/);
      }
    }
  });

  it('declares a dependency shared by several packages once, in the catalog', () => {
    const users = new Map<string, string[]>();
    for (const { name, dependencies } of manifests) {
      for (const [dependency, version] of Object.entries(dependencies).filter(([, v]) => external(v))) {
        users.set(dependency, [...(users.get(dependency) ?? []), `${name}@${version}`]);
      }
    }
    const catalog = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
    for (const [dependency, declarations] of users) {
      if (declarations.length < 2) continue;
      expect(
        declarations.every((d) => d.endsWith('@catalog:')),
        `${dependency}: ${declarations.join(', ')}`,
      ).toBe(true);
      expect(catalog, dependency).toContain(`"${dependency}":`.replace(/^"([a-z][\w-]*)":$/, '$1:'));
    }
  });
});

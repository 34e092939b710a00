// Generated from package.json by scripts/write-version.mjs; do not edit.
export const CONTRACT_VERSION = '0.2.0';

export declare const CONTRACT_VERSION = "0.1.0";
//# sourceMappingURL=version.d.ts.map
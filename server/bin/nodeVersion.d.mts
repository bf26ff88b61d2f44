export declare const MINIMUM_NODE: { major: number; minor: number };
export declare function unsupportedNodeReason(version: string, execPath?: string): string | undefined;

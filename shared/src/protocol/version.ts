// Bumped on any incompatible change to a socket message or HTTP body. A client sends the version it
// speaks in the socket.io handshake; the server refuses a different one with PROTOCOL_MISMATCH.
// 2: getMediaEndpoint and the /media namespace, for a call whose media is served by another process.
export const PROTOCOL_VERSION = 2;

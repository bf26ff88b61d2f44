// Bumped on any incompatible change to a socket message or HTTP body. A client sends the version it
// speaks in the socket.io handshake; the server refuses a different one with PROTOCOL_MISMATCH.
// 2: getMediaEndpoint and the /media namespace, for a call whose media is served by another process.
// 3: errors carry a translatable reason; snapshots and notifications carry the verification's revision;
//    the interpreter's view has one status; interpreterInvited carries the interpreter's view.
export const PROTOCOL_VERSION = 3;

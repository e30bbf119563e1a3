// Placeholder until the NIO transport tests land.

// dhtload: closed-loop load against one dht-rpc 2.3 / hyperdht 1.3 node on 127.0.0.1 (any implementation), the
// same method as ../shared/refbench/udpload.c, with a choice of command. Used by scripts/bench.
//
//   dhtload PORT SECONDS WINDOW PRELOAD [MODE]
//     MODE find_node (default): `_find_node` toward random targets;
//          ping: `_ping`;
//          peers: hyperdht `peers` lookups of one key under which 20 peers were announced first (with the
//                 round-trip token the node handed out).
// It first fills the node's table by sending `_ping` from PRELOAD random ids (so `_find_node` answers carry 20
// nodes), then keeps WINDOW requests in flight for SECONDS and prints one JSON line: answered/s, p50/p99 latency
// in ms, requests lost (no answer within 100 ms), the average reply size.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void rnd(unsigned char *b, int n) { for (int i = 0; i < n; i++) b[i] = rand() & 255; }
static int cmpd(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }

static int field(unsigned char *out, int tag, const unsigned char *bytes, int length) {
  out[0] = tag; out[1] = length; memcpy(out + 2, bytes, length); return 2 + length;
}

// udp-request header (request bit, 15-bit tid), then a dht-rpc Request: command, id, [target], [token], [value].
static int encode(unsigned char *out, int tid, const char *cmd, const unsigned char *id, const unsigned char *target,
                  const unsigned char *token, const unsigned char *value, int valueLength) {
  int n = 0;
  out[n++] = 0x80 | (tid >> 8); out[n++] = tid & 255;
  n += field(out + n, 0x0a, (const unsigned char *)cmd, strlen(cmd));
  n += field(out + n, 0x12, id, 32);
  if (target) n += field(out + n, 0x1a, target, 32);
  if (token) n += field(out + n, 0x32, token, 32);
  if (value) n += field(out + n, 0x3a, value, valueLength);
  return n;
}

// The roundtripToken (field 4) of a dht-rpc Response after the 2-byte header; 0 if absent.
static int responseToken(const unsigned char *in, int length, unsigned char *token) {
  int i = 2;
  while (i + 2 <= length) {
    int tag = in[i++], size = 0, shift = 0;
    if ((tag & 7) != 2) return 0;
    while (i < length) { int b = in[i++]; size |= (b & 127) << shift; shift += 7; if (!(b & 128)) break; }
    if (i + size > length) return 0;
    if (tag == 0x22 && size == 32) { memcpy(token, in + i, 32); return 1; }
    i += size;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: dhtload PORT SECONDS WINDOW PRELOAD [find_node|ping|peers]\n"); return 2; }
  int port = atoi(argv[1]), window = atoi(argv[3]), preload = atoi(argv[4]);
  double seconds = atof(argv[2]);
  const char *mode = argc > 5 ? argv[5] : "find_node";
  if (strcmp(mode, "find_node") && strcmp(mode, "ping") && strcmp(mode, "peers")) { fprintf(stderr, "bad mode %s\n", mode); return 2; }
  if (window < 1 || window > 10000) { fprintf(stderr, "bad window\n"); return 2; }
  srand(getpid());
  struct sockaddr_in to = {0}; to.sin_family = AF_INET; to.sin_port = htons(port); to.sin_addr.s_addr = htonl(0x7f000001);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct timeval tv = {0, 100000}; setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  unsigned char buf[4096], id[32], target[32], key[32], token[32];
  int tid = 1, preloaded = 0, announced = 0;
  for (int i = 0; i < preload; i++) {  // one _ping per fake id; wait for each answer (bounded)
    rnd(id, 32); int n = encode(buf, tid, "_ping", id, NULL, NULL, NULL, 0); tid = (tid + 1) & 32767;
    sendto(s, buf, n, 0, (void *)&to, sizeof to);
    if (recv(s, buf, sizeof buf, 0) > 0) preloaded++;
  }
  rnd(id, 32); rnd(key, 32);
  const unsigned char lookup[2] = {0x08, 0x00};  // hyperdht Request {type: 0 (lookup)}
  if (!strcmp(mode, "peers")) {  // a lookup for the token, then 20 announces (ports 10001...) with it
    int n = encode(buf, tid, "peers", id, key, NULL, lookup, 2); tid = (tid + 1) & 32767;
    sendto(s, buf, n, 0, (void *)&to, sizeof to);
    int r = recv(s, buf, sizeof buf, 0);
    if (r <= 0 || !responseToken(buf, r, token)) { fprintf(stderr, "dhtload: no token from the node\n"); return 1; }
    for (int i = 0; i < 20; i++) {
      int announcePort = 10001 + i;
      unsigned char announce[5] = {0x08, 0x01, 0x10, (announcePort & 127) | 128, announcePort >> 7};
      n = encode(buf, tid, "peers", id, key, token, announce, 5); tid = (tid + 1) & 32767;
      sendto(s, buf, n, 0, (void *)&to, sizeof to);
      if (recv(s, buf, sizeof buf, 0) > 0) announced++;
    }
  }
  static double sent[32768]; memset(sent, 0, sizeof sent);
  int cap = 4000000; double *lat = malloc(sizeof(double) * cap); long nlat = 0, lost = 0, bytes = 0;
#define SEND_ONE() do { \
    int n_; \
    if (mode[0] == 'f') { rnd(target, 32); n_ = encode(buf, tid, "_find_node", id, target, NULL, NULL, 0); } \
    else if (mode[0] == 'p' && mode[1] == 'i') n_ = encode(buf, tid, "_ping", id, NULL, NULL, NULL, 0); \
    else n_ = encode(buf, tid, "peers", id, key, NULL, lookup, 2); \
    sent[tid] = now(); tid = (tid + 1) & 32767; sendto(s, buf, n_, 0, (void *)&to, sizeof to); \
  } while (0)
  double t0 = now(), end = t0 + seconds;
  for (int i = 0; i < window; i++) SEND_ONE();
  while (now() < end) {
    int r = recv(s, buf, sizeof buf, 0);
    if (r >= 2 && !(buf[0] & 0x80)) {
      int rt = ((buf[0] & 0x7f) << 8) | buf[1];
      if (sent[rt] > 0) { if (nlat < cap) lat[nlat++] = now() - sent[rt]; sent[rt] = 0; bytes += r; }
      else continue;
    } else if (r < 0) {  // a timeout: count what is outstanding as lost and refill the window
      double t = now();
      for (int i = 0; i < 32768; i++) if (sent[i] > 0 && t - sent[i] > 0.1) { sent[i] = 0; lost++; }
      for (int i = 0; i < window; i++) SEND_ONE();
      continue;
    } else continue;
    SEND_ONE();
  }
  double el = now() - t0;
  qsort(lat, nlat, sizeof(double), cmpd);
  printf("{\"mode\":\"%s\",\"port\":%d,\"window\":%d,\"preloaded\":%d,\"announced\":%d,\"answered\":%ld,\"perSec\":%.0f,"
         "\"p50ms\":%.3f,\"p99ms\":%.3f,\"lost\":%ld,\"avgBytes\":%.0f}\n",
         mode, port, window, preloaded, announced, nlat, nlat / el, nlat ? lat[nlat / 2] * 1e3 : -1,
         nlat ? lat[(long)(nlat * 0.99)] * 1e3 : -1, lost, nlat ? (double)bytes / nlat : 0);
  return 0;
}

// udpecho: the ceiling for dhtload on this machine: one thread answers every datagram with a reply of SIZE bytes
// (default 833, a dht-rpc `_find_node` answer with 20 nodes) carrying the request's tid with the request bit
// cleared. The same method as ../shared/refbench/udpecho.c.   udpecho PORT SECONDS [SIZE]
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int size = argc > 3 ? atoi(argv[3]) : 833;
  if (size < 2 || size > 2048) return 2;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1])); a.sin_addr.s_addr = htonl(0x7f000001);
  if (bind(s, (void *)&a, sizeof a)) return 1;
  struct timeval tv = {0, 200000}; setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  time_t end = time(NULL) + atoi(argv[2]);
  unsigned char in[2048], out[2048]; memset(out, 0x5a, sizeof out);
  while (time(NULL) < end) {
    struct sockaddr_in from; socklen_t fl = sizeof from;
    int r = recvfrom(s, in, sizeof in, 0, (void *)&from, &fl);
    if (r < 2) continue;
    out[0] = in[0] & 0x7f; out[1] = in[1];
    sendto(s, out, size, 0, (void *)&from, fl);
  }
  return 0;
}

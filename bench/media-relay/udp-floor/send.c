/*
 * The kernel's cost of sending one UDP datagram, the floor under any SFU that forwards through
 * kernel sockets: sends `count` 1,200-byte datagrams round-robin to `ports` ports of `ip`, one
 * sendto(2) each (batch 1) or `batch` at a time with sendmmsg(2), and prints the process's CPU
 * per datagram (user and system, getrusage(2)). bench/README.md, "udp-floor".
 *
 *   send <ip> <first-port> <ports> <count> <batch>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define SLOTS 64
#define SIZE 1200

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: send <ip> <first-port> <ports> <count> <batch>\n");
    return 2;
  }
  int first = atoi(argv[2]), ports = atoi(argv[3]), batch = atoi(argv[5]);
  long count = atol(argv[4]);
  if (ports < 1 || ports > SLOTS || batch < 1 || batch > SLOTS) {
    fprintf(stderr, "ports and batch: 1 to %d\n", SLOTS);
    return 2;
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int buffer = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  static char payload[SLOTS][SIZE];
  static struct sockaddr_in to[SLOTS];
  static struct iovec iov[SLOTS];
  static struct mmsghdr messages[SLOTS];
  for (int i = 0; i < SLOTS; i++) {
    memset(payload[i], i, SIZE);
    to[i].sin_family = AF_INET;
    to[i].sin_port = htons(first + i % ports);
    inet_pton(AF_INET, argv[1], &to[i].sin_addr);
    iov[i].iov_base = payload[i];
    iov[i].iov_len = SIZE;
    messages[i].msg_hdr.msg_name = &to[i];
    messages[i].msg_hdr.msg_namelen = sizeof to[i];
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  long sent = 0;
  while (sent < count) {
    if (batch == 1) {
      int slot = sent % SLOTS;
      if (sendto(fd, payload[slot], SIZE, 0, (struct sockaddr *) &to[slot], sizeof to[slot]) > 0) sent++;
    } else {
      int n = sendmmsg(fd, messages, batch, 0);
      if (n > 0) sent += n;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  double wall = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  double user = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  double system = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  printf("%-9s %8ld datagrams in %.2f s: CPU per datagram %.2f us (user %.2f, system %.2f), %.0f datagrams/s\n",
         batch == 1 ? "sendto" : "sendmmsg", sent, wall, (user + system) * 1e6 / sent, user * 1e6 / sent,
         system * 1e6 / sent, sent / wall);
  return 0;
}

/*
 * The other end for send.c: binds `ports` UDP ports from `first-port` on `ip` and drains them with
 * recvmmsg(2) until killed, so the datagrams are delivered to a socket as a client's would be.
 *
 *   recv <ip> <first-port> <ports>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SLOTS 64

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: recv <ip> <first-port> <ports>\n");
    return 2;
  }
  int ports = atoi(argv[3]);
  if (ports < 1 || ports > SLOTS) {
    fprintf(stderr, "ports: 1 to %d\n", SLOTS);
    return 2;
  }
  struct pollfd sockets[SLOTS];
  for (int i = 0; i < ports; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int buffer = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    struct sockaddr_in at = {0};
    at.sin_family = AF_INET;
    at.sin_port = htons(atoi(argv[2]) + i);
    inet_pton(AF_INET, argv[1], &at.sin_addr);
    if (bind(fd, (struct sockaddr *) &at, sizeof at) != 0) {
      perror("bind");
      return 1;
    }
    sockets[i].fd = fd;
    sockets[i].events = POLLIN;
  }
  static char data[SLOTS][2048];
  static struct iovec iov[SLOTS];
  static struct mmsghdr messages[SLOTS];
  for (int i = 0; i < SLOTS; i++) {
    iov[i].iov_base = data[i];
    iov[i].iov_len = sizeof data[i];
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  for (;;) {
    poll(sockets, ports, 1000);
    for (int i = 0; i < ports; i++) {
      if (sockets[i].revents & POLLIN) recvmmsg(sockets[i].fd, messages, SLOTS, MSG_DONTWAIT, NULL);
    }
  }
}

// The GDB remote protocol's packets over a localhost TCP socket (GDB manual, "Remote Protocol":
// "Overview" for the framing, checksums, acknowledgments and escapes; "Interrupts" for 0x03).
#include "model/gdb_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rmesim
{

GdbConnection::~GdbConnection()
{
    close();
    if (listen_fd_ >= 0)
        ::close(listen_fd_);
}

bool GdbConnection::listen(unsigned port, std::string &error)
{
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) {
        error = std::string("cannot open a socket: ") + std::strerror(errno);
        return false;
    }
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* localhost only */
    if (bind(listen_fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 1) != 0) {
        error = errno == EADDRINUSE ? "port " + std::to_string(port) + " is in use"
                                    : "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                          std::strerror(errno);
        ::close(listen_fd_);
        listen_fd_ = -1;
        return false;
    }
    return true;
}

bool GdbConnection::accept(bool block)
{
    if (fd_ >= 0)
        return true;
    if (listen_fd_ < 0)
        return false;
    pollfd p{listen_fd_, POLLIN, 0};
    if (!block && poll(&p, 1, 0) <= 0)
        return false;
    fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd_ < 0)
        return false;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ack_ = true;
    buffer_.clear();
    return true;
}

void GdbConnection::close()
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

bool GdbConnection::read_byte(char &c)
{
    if (buffer_.empty()) {
        char chunk[4096];
        ssize_t n;
        do
            n = ::recv(fd_, chunk, sizeof chunk, 0);
        while (n < 0 && errno == EINTR);
        if (n <= 0) {
            close();
            return false;
        }
        buffer_.assign(chunk, size_t(n));
    }
    c = buffer_[0];
    buffer_.erase(0, 1);
    return true;
}

bool GdbConnection::receive(std::string &packet)
{
    for (;;) {
        char c = 0;
        do
            if (fd_ < 0 || !read_byte(c))
                return false;
        while (c != '$' && c != 0x03);
        if (c == 0x03) { /* an interrupt while stopped: nothing to stop */
            continue;
        }
        std::string data;
        unsigned sum = 0;
        while (read_byte(c) && c != '#') {
            sum += uint8_t(c);
            data += c;
        }
        char check[3] = {0, 0, 0};
        if (fd_ < 0 || !read_byte(check[0]) || !read_byte(check[1]))
            return false;
        bool good = std::strtoul(check, nullptr, 16) == (sum & 0xFF);
        if (ack_)
            ::send(fd_, good ? "+" : "-", 1, MSG_NOSIGNAL);
        if (!good)
            continue;
        packet.clear();
        for (size_t i = 0; i < data.size(); i++) /* binary data: `}` escapes the next byte */
            packet += data[i] == '}' && i + 1 < data.size() ? char(data[++i] ^ 0x20) : data[i];
        return true;
    }
}

bool GdbConnection::interrupted()
{
    if (fd_ < 0)
        return false;
    pollfd p{fd_, POLLIN, 0};
    if (buffer_.empty() && poll(&p, 1, 0) <= 0)
        return false;
    char c = 0;
    if (!read_byte(c))
        return false;
    return c == 0x03;
}

void GdbConnection::send(const std::string &data)
{
    if (fd_ < 0)
        return;
    std::string out = "$";
    unsigned sum = 0;
    for (char c : data) {
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            out += '}';
            sum += '}';
            c = char(c ^ 0x20);
        }
        out += c;
        sum += uint8_t(c);
    }
    char tail[4];
    std::snprintf(tail, sizeof tail, "#%02x", sum & 0xFF);
    out += tail;
    for (;;) {
        size_t sent = 0;
        while (sent < out.size()) {
            ssize_t n = ::send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close();
                return;
            }
            sent += size_t(n);
        }
        if (!ack_)
            return;
        char c = 0; /* the acknowledgment: `-` asks for the packet again */
        do
            if (!read_byte(c))
                return;
        while (c != '+' && c != '-');
        if (c == '+')
            return;
    }
}

std::string gdb_hex_bytes(const void *data, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    const uint8_t *p = static_cast<const uint8_t *>(data);
    for (size_t i = 0; i < n; i++) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

bool gdb_parse_hex(const std::string &text, uint64_t &value)
{
    if (text.empty() || text.size() > 16 ||
        text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return false;
    value = std::strtoull(text.c_str(), nullptr, 16);
    return true;
}

bool gdb_unhex_bytes(const std::string &text, std::string &bytes)
{
    if (text.size() % 2 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return false;
    bytes.clear();
    for (size_t i = 0; i < text.size(); i += 2)
        bytes += char(std::strtoul(text.substr(i, 2).c_str(), nullptr, 16));
    return true;
}

} // namespace rmesim

// The GDB remote serial protocol's transport (GDB manual, "Remote Protocol", "Overview"): a TCP
// socket on 127.0.0.1, packets `$data#checksum` acknowledged with `+` (until
// QStartNoAckMode), binary data escaped with `}`, and the out-of-band interrupt byte 0x03.
#pragma once

#include <cstdint>
#include <string>

namespace rmesim
{

class GdbConnection
{
  public:
    GdbConnection() = default;
    ~GdbConnection();
    GdbConnection(const GdbConnection &) = delete;
    GdbConnection &operator=(const GdbConnection &) = delete;

    // Listens on 127.0.0.1:port; false with the reason ("port 1234 is in use").
    bool listen(unsigned port, std::string &error);
    // Accepts a debugger: blocking, or only if one is waiting (false if none).
    bool accept(bool block);
    bool connected() const { return fd_ >= 0; }
    void close();

    // The next packet's data (unescaped), blocking; false when the debugger went away.
    bool receive(std::string &packet);
    // Whether the debugger has sent the interrupt byte, without blocking.
    bool interrupted();
    void send(const std::string &data);
    void no_ack() { ack_ = false; }

  private:
    bool read_byte(char &c);
    int listen_fd_ = -1, fd_ = -1;
    bool ack_ = true;
    std::string buffer_; // bytes read and not used yet
};

// Hex helpers of the protocol: "1f" <-> 0x1f, little-endian register values.
std::string gdb_hex_bytes(const void *data, size_t n);
bool gdb_parse_hex(const std::string &text, uint64_t &value);
// Two hex digits a byte; false on an odd length or a non-hex digit.
bool gdb_unhex_bytes(const std::string &text, std::string &bytes);

} // namespace rmesim

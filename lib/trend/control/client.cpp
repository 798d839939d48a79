// SPDX-License-Identifier: MIT
#include "trend/control/client.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace trend::control {

namespace {

/** Owns a file descriptor. */
struct Fd {
    int fd;
    explicit Fd(int f) noexcept : fd(f) {}
    Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd& operator=(Fd&&) = delete;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

/** Waits for `events` on fd until `deadline`; false on timeout. */
bool wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n > 0)
            return true;
        if (n < 0 && errno != EINTR)
            return false;
    }
}

} // namespace

namespace {

/** A connected socket to the daemon; throws Unreachable. */
Fd connect_to(const std::filesystem::path& socket) {
    Fd s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (s.fd < 0)
        throw Unreachable(fmt::format("socket: {}", std::strerror(errno)));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = socket.string();
    if (path.size() >= sizeof addr.sun_path)
        throw Unreachable(fmt::format("{}: path too long", path));
    std::memcpy(addr.sun_path, path.c_str(), path.size());
    if (::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw Unreachable(fmt::format("nothing answers on {} ({})", path, std::strerror(errno)));
    return s;
}

} // namespace

bool answers(const std::filesystem::path& socket) noexcept {
    try {
        (void)connect_to(socket);
        return true;
    } catch (...) {
        return false;
    }
}

Reply call(const std::filesystem::path& socket, std::string_view cmd, std::string_view feed,
           std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const Fd s = connect_to(socket);
    const std::string path = socket.string();

    const std::string line = request_line(cmd, feed);
    std::string_view rest = line;
    while (!rest.empty()) {
        if (!wait_for(s.fd, POLLOUT, deadline))
            throw NoAnswer(fmt::format("{}: timed out sending", path));
        const ssize_t n = ::send(s.fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            throw NoAnswer(fmt::format("{}: {}", path, std::strerror(errno)));
        if (n > 0)
            rest.remove_prefix(static_cast<std::size_t>(n));
    }
    std::string reply;
    char buf[16384];
    while (reply.find('\n') == std::string::npos) {
        if (!wait_for(s.fd, POLLIN, deadline))
            throw NoAnswer(fmt::format("{}: no reply within {} ms", path, timeout.count()));
        const ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
        if (n == 0)
            throw NoAnswer(fmt::format("{}: the daemon closed the connection", path));
        if (n < 0 && errno != EINTR)
            throw NoAnswer(fmt::format("{}: {}", path, std::strerror(errno)));
        if (n > 0)
            reply.append(buf, static_cast<std::size_t>(n));
        if (reply.size() > (64u << 20))
            throw std::runtime_error("reply too large");
    }
    reply.resize(reply.find('\n'));
    auto parsed = parse_reply(reply);
    if (!parsed)
        throw std::runtime_error(fmt::format("{}: not a trendd reply", path));
    return *parsed;
}

} // namespace trend::control

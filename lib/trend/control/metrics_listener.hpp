// SPDX-License-Identifier: MIT
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace trend::control {

/** The metrics listener cannot be set up (address in use, not permitted, ...). */
class ListenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/**
 * An HTTP/1.1 endpoint for Prometheus on the daemon's loop (Boost.Beast): `GET /metrics`
 * (and HEAD) answers what `render` returns, as `text/plain; version=0.0.4`; other paths get
 * 404, other methods 405, a malformed request 400. One request per connection, headers at
 * most 8 KiB, no request body; a client has 10 s to send its request and read the reply. At
 * most 16 connections at once: when full, the oldest one that has not sent its request yet is
 * closed for the newcomer (a newcomer is refused only when all 16 are being answered), so idle
 * connections cannot keep a scrape out. A failing accept (no file descriptors left) is retried
 * after a second, not in a loop.
 */
class MetricsListener final {
public:
    using Render = std::function<std::string()>;

private:
    struct Session;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::shared_ptr<const Render> m_render; ///< shared with sessions that outlive a stop()
    std::vector<std::weak_ptr<Session>> m_sessions;
    boost::asio::steady_timer m_retry; ///< the pause after a failed accept

public:
    /** Binds address:port (an IP literal). Throws ListenError naming the endpoint. */
    MetricsListener(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                    Render render);
    ~MetricsListener();
    MetricsListener(const MetricsListener&) = delete;
    MetricsListener& operator=(const MetricsListener&) = delete;

    /** The port actually bound (port 0 asks the kernel for one: tests). */
    [[nodiscard]] std::uint16_t port() const;

    /** Stops accepting and closes every connection. */
    void stop() noexcept;

private:
    void accept();
    /** Whether a new session fits, closing the oldest one still reading to make room. */
    bool make_room();
};

} // namespace trend::control

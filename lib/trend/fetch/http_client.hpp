// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

typedef void CURLM;

namespace trend::fetch {

/** One HTTP(S) or file:// transfer to make. */
struct Request {
    std::string url;
    std::string method = "GET";       ///< "GET" or "POST"
    std::string body;                 ///< POST body
    std::vector<std::string> headers; ///< "Name: value"
    std::string if_none_match;        ///< conditional GET: the ETag we hold
    std::string if_modified_since;    ///< conditional GET: the Last-Modified we hold
    std::string user_agent;
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
    std::int64_t max_body_bytes = 8 * 1024 * 1024; ///< after decompression
    long max_redirects = 5;
    bool allow_file = false; ///< file:// is only for configured feeds, never for redirects
    /** For URLs from untrusted documents: connect only to public addresses (fetch/address.hpp).
     *  Every address is checked just before libcurl connects to it, redirects included, and a
     *  refused one ends the transfer as Transport::blocked_address. Such a transfer uses no
     *  proxy and shares no connection with other transfers (a connection opened for a trusted
     *  URL to a private host must not be reused). */
    bool refuse_private_addresses = false;
};

/** What happened to a transfer. `transport` is the transfer's own fate, before anyone looks at
 *  the body: a 500 is `complete` with http_status 500. */
enum class Transport {
    complete,        ///< a full response (any status) or a file was read
    timeout,         ///< connect or total timeout
    too_large,       ///< body over max_body_bytes (declared or received)
    truncated,       ///< connection closed before the declared length
    redirect_loop,   ///< more than max_redirects
    network_error,   ///< DNS, refused, reset, TLS, bad encoding, ...
    blocked_address, ///< Request::refuse_private_addresses refused every address to connect to
    cancelled,       ///< the client stopped before it finished
};

struct Response {
    Transport transport = Transport::network_error;
    long http_status = 0; ///< 0 for file:// and when no status was received
    std::string body;
    std::string content_type;
    std::string etag;
    std::string last_modified;
    std::string effective_url;
    std::optional<Seconds> retry_after; ///< from Retry-After (seconds or HTTP-date)
    std::string error;                  ///< libcurl's words when not complete
    std::chrono::milliseconds duration{0};
    std::int64_t bytes = 0; ///< body bytes received (decoded)
};

using Handler = std::function<void(Response)>;

/**
 * Concurrent HTTP transfers on an io_context: one libcurl multi handle whose sockets and
 * timer are watched by Asio, so no thread is spent per request and nothing blocks the loop.
 *
 * Must be constructed, used and destroyed on the thread that runs the io_context. The handler
 * of a transfer is always invoked from the io_context (posted), never inside start(), and
 * exactly once, with Transport::cancelled when cancel_all() or destruction stops it.
 */
class HttpClient final {
    struct Transfer;
    struct SocketWatch;

    boost::asio::io_context& m_io;
    boost::asio::steady_timer m_timer;
    /** Counts curl's timer requests: a posted 0 ms timeout runs only if no request followed. */
    std::uint64_t m_timer_generation = 0;
    CURLM* m_multi = nullptr;
    std::unordered_map<int, std::shared_ptr<SocketWatch>> m_sockets;
    std::unordered_map<std::uint64_t, std::unique_ptr<Transfer>> m_transfers;
    std::uint64_t m_next_id = 1;
    std::shared_ptr<bool> m_alive;

public:
    explicit HttpClient(boost::asio::io_context& io);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /** Starts a transfer; returns its id. Throws std::runtime_error only when libcurl cannot
     *  create a handle (out of memory). */
    std::uint64_t start(Request request, Handler on_done);

    /** Stops every transfer in flight. */
    void cancel_all();

    /** Transfers in flight. */
    [[nodiscard]] std::size_t active() const noexcept { return m_transfers.size(); }

private:
    static int on_socket(void* easy, int fd, int what, void* self, void* socketp) noexcept;
    static int on_timer(CURLM* multi, long timeout_ms, void* self) noexcept;
    void watch(int fd, int what);
    void arm(const std::shared_ptr<SocketWatch>& w);
    void socket_action(int fd, int ev_bitmask);
    void collect_finished();
    void finish(std::uint64_t id, int curl_code);
};

/** libcurl's one-time global init; call once from main before any thread starts. */
void global_init();

} // namespace trend::fetch

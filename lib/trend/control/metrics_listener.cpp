// SPDX-License-Identifier: MIT
#include "trend/control/metrics_listener.hpp"

#include "trend/log/log.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>

#include <optional>

namespace trend::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t k_max_sessions = 16;
constexpr std::uint32_t k_header_limit = 8 * 1024;
/** Time a client has to send its request, and then to read the reply. */
constexpr std::chrono::seconds k_deadline{10};
constexpr const char* k_content_type = "text/plain; version=0.0.4; charset=utf-8";

bool is_metrics_path(std::string_view target) {
    return target == "/metrics" || target.starts_with("/metrics?");
}

} // namespace

struct MetricsListener::Session : std::enable_shared_from_this<Session> {
    beast::tcp_stream stream;
    beast::flat_buffer buffer{k_header_limit};
    http::request_parser<http::empty_body> parser;
    http::response<http::string_body> response;
    std::shared_ptr<const Render> render;
    bool head = false;     ///< a HEAD request: the answer has headers only
    bool replying = false; ///< the request is in: this session is not idle any more

    Session(tcp::socket s, std::shared_ptr<const Render> r)
        : stream(std::move(s)), render(std::move(r)) {
        parser.header_limit(k_header_limit);
        parser.body_limit(0);
    }

    void start() {
        stream.expires_after(k_deadline);
        http::async_read(
            stream, buffer, parser,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        replying = true;
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
            ec == asio::error::eof)
            return close();
        if (ec) // the bytes are not an HTTP request we take
            return reply(http::status::bad_request, fmt::format("bad request: {}\n", ec.message()));
        const auto& req = parser.get();
        head = req.method() == http::verb::head;
        if (!is_metrics_path(req.target()))
            return reply(http::status::not_found, "not found: trendd serves /metrics\n");
        if (req.method() != http::verb::get && req.method() != http::verb::head) {
            response.set(http::field::allow, "GET, HEAD");
            return reply(http::status::method_not_allowed, "only GET and HEAD\n");
        }
        std::string text;
        try {
            text = (*render)();
        } catch (const std::exception& e) {
            return reply(http::status::internal_server_error,
                         fmt::format("cannot collect the metrics: {}\n", e.what()));
        }
        response.set(http::field::content_type, k_content_type);
        reply(http::status::ok, std::move(text));
    }

    /** Answers with `body`, or only its length for a HEAD request. */
    void reply(http::status status, std::string body) {
        response.result(status);
        if (status != http::status::ok)
            response.set(http::field::content_type, "text/plain; charset=utf-8");
        if (head) {
            response.content_length(body.size());
        } else {
            response.body() = std::move(body);
            response.prepare_payload();
        }
        send();
    }

    void send() {
        response.version(11);
        response.set(http::field::server, "trendd");
        response.keep_alive(false);
        stream.expires_after(k_deadline);
        http::async_write(stream, response,
                          [self = shared_from_this()](beast::error_code, std::size_t) {
                              beast::error_code ignored;
                              self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                              self->close();
                          });
    }

    void close() {
        beast::error_code ignored;
        stream.socket().close(ignored);
    }
};

MetricsListener::MetricsListener(asio::io_context& io, const std::string& address,
                                 std::uint16_t port, Render render)
    : m_acceptor(io), m_render(std::make_shared<const Render>(std::move(render))), m_retry(io) {
    const std::string where = address.find(':') != std::string::npos
                                  ? fmt::format("[{}]:{}", address, port)
                                  : fmt::format("{}:{}", address, port);
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec)
        throw ListenError(fmt::format("metrics: \"{}\" is not an IP address", address));
    const tcp::endpoint endpoint(ip, port);
    const auto check = [&] {
        if (ec)
            throw ListenError(fmt::format("metrics: cannot listen on {}: {}", where, ec.message()));
    };
    m_acceptor.open(endpoint.protocol(), ec);
    check();
    m_acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    check();
    m_acceptor.bind(endpoint, ec);
    check();
    m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    check();
    accept();
}

MetricsListener::~MetricsListener() {
    stop();
}

std::uint16_t MetricsListener::port() const {
    boost::system::error_code ec;
    return m_acceptor.local_endpoint(ec).port();
}

void MetricsListener::stop() noexcept {
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    m_retry.cancel();
    for (auto& w : m_sessions)
        if (auto s = w.lock())
            s->close();
    m_sessions.clear();
}

void MetricsListener::accept() {
    m_acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open())
            return;
        if (ec) {
            // Out of file descriptors, say: try again in a second, not in a tight loop.
            log::warning("metrics", "accept failed: {}; trying again in 1 s", ec.message());
            m_retry.expires_after(std::chrono::seconds(1));
            m_retry.async_wait([this](boost::system::error_code wait_ec) {
                if (!wait_ec && m_acceptor.is_open())
                    accept();
            });
            return;
        }
        if (make_room()) {
            auto session = std::make_shared<Session>(std::move(socket), m_render);
            m_sessions.push_back(session);
            session->start();
        } // else: every session is being answered; the newcomer's socket closes here
        accept();
    });
}

bool MetricsListener::make_room() {
    std::erase_if(m_sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
    if (m_sessions.size() < k_max_sessions)
        return true;
    for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
        const auto s = it->lock();
        if (s && !s->replying) {
            s->close();
            m_sessions.erase(it);
            return true;
        }
    }
    return false;
}

} // namespace trend::control

// SPDX-License-Identifier: MIT
#include "trend/control/server.hpp"

#include "trend/log/log.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <sys/stat.h>

namespace trend::control {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

namespace {

constexpr int k_max_sessions = 64;
/** A session that has not sent a whole request for this long is closed. */
constexpr std::chrono::seconds k_silent{10};
/** A client that does not read its reply for this long is dropped. */
constexpr std::chrono::seconds k_unread{30};

/** Whether a process accepts connections on the socket file. */
bool someone_answers(asio::io_context& io, const std::filesystem::path& path) {
    local::socket probe(io);
    boost::system::error_code ec;
    probe.connect(local::endpoint(path.string()), ec);
    return !ec;
}

} // namespace

struct Server::Session : std::enable_shared_from_this<Session> {
    local::socket socket;
    asio::streambuf buffer{k_max_request_bytes + 1};
    asio::steady_timer idle;
    Handler& handler;
    /** Waiting for the client's next request (not for a reply of ours, not writing): such a
     *  session may be closed to make room for another client. */
    bool reading = false;
    std::chrono::steady_clock::time_point reading_since;

    Session(local::socket s, Handler& h)
        : socket(std::move(s)), idle(socket.get_executor()), handler(h) {}

    void read() {
        reading = true;
        reading_since = std::chrono::steady_clock::now();
        idle.expires_after(k_silent);
        idle.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec)
                self->close(); // silent for too long
        });
        asio::async_read_until(
            socket, buffer, '\n',
            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                self->on_line(ec, n);
            });
    }

    void on_line(boost::system::error_code ec, std::size_t n) {
        reading = false;
        idle.cancel();
        if (ec == asio::error::not_found) { // the line outgrew the buffer
            write(error_reply("too-large",
                              fmt::format("a request is at most {} bytes", k_max_request_bytes)),
                  /*then_close=*/true);
            return;
        }
        if (ec)
            return; // EOF or error: the session ends
        std::string line(asio::buffers_begin(buffer.data()),
                         asio::buffers_begin(buffer.data()) + static_cast<std::ptrdiff_t>(n) - 1);
        buffer.consume(n);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        auto parsed = parse_request(line);
        if (auto* err = std::get_if<ProtocolError>(&parsed)) {
            write(error_reply(err->code, err->message), false);
            return;
        }
        // The reply may come later (poll waits for its transfers): until then the pending
        // reply owns the session.
        handler(std::get<Request>(parsed), [self = shared_from_this()](std::string reply) {
            self->write(std::move(reply), false);
        });
    }

    void write(std::string reply, bool then_close) {
        // A client that never reads must not hold a session for ever.
        idle.expires_after(k_unread);
        idle.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec)
                self->close();
        });
        auto data = std::make_shared<std::string>(std::move(reply));
        asio::async_write(socket, asio::buffer(*data),
                          [self = shared_from_this(), data,
                           then_close](boost::system::error_code ec, std::size_t) {
                              self->idle.cancel();
                              if (ec || then_close)
                                  self->close();
                              else
                                  self->read();
                          });
    }

    void close() {
        boost::system::error_code ignored;
        socket.shutdown(local::socket::shutdown_both, ignored);
        socket.close(ignored);
    }
};

Server::Server(asio::io_context& io, std::filesystem::path path, Handler handler)
    : m_acceptor(io), m_path(std::move(path)), m_handler(std::move(handler)) {
    if (m_path.string().size() >= sizeof(sockaddr_un::sun_path))
        throw ServerError(fmt::format("{}: control socket path too long", m_path.string()));
    std::error_code fs_ec;
    if (std::filesystem::exists(m_path, fs_ec)) {
        if (someone_answers(io, m_path))
            throw ServerError(fmt::format("{}: another trendd is running (it answers on the "
                                          "control socket)",
                                          m_path.string()));
        std::filesystem::remove(m_path, fs_ec); // stale, from a crash
    }
    if (m_path.has_parent_path())
        std::filesystem::create_directories(m_path.parent_path(), fs_ec);
    try {
        m_acceptor.open(local());
        m_acceptor.bind(local::endpoint(m_path.string()));
        m_acceptor.listen();
    } catch (const boost::system::system_error& e) {
        throw ServerError(fmt::format("{}: cannot listen: {}", m_path.string(), e.what()));
    }
    // Group members (analysts, operators) may talk to it; nobody else.
    ::chmod(m_path.c_str(), 0660);
    accept();
}

Server::~Server() {
    stop();
}

void Server::stop() noexcept {
    if (!m_acceptor.is_open())
        return;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    std::error_code fs_ec;
    std::filesystem::remove(m_path, fs_ec);
}

void Server::accept() {
    m_acceptor.async_accept([this](boost::system::error_code ec, local::socket socket) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open())
            return;
        if (!ec) {
            auto session = std::make_shared<Session>(std::move(socket), m_handler);
            if (make_room()) {
                m_sessions.push_back(session);
                session->read();
            } else {
                session->write(error_reply("busy", "too many control connections"), true);
            }
        }
        accept();
    });
}

bool Server::make_room() {
    std::erase_if(m_sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
    if (m_sessions.size() < k_max_sessions)
        return true;
    // Full: the client that has been silent longest makes room, so that silent connections
    // can never lock out a `trendctl status`. Sessions waiting for a reply of ours stay.
    std::shared_ptr<Session> oldest;
    for (const auto& w : m_sessions)
        if (auto s = w.lock(); s && s->reading && (!oldest || s->reading_since < oldest->reading_since))
            oldest = std::move(s);
    if (!oldest)
        return false;
    log::info("control", "control sessions full: closing the longest silent one");
    oldest->close();
    std::erase_if(m_sessions, [&](const std::weak_ptr<Session>& w) {
        return w.expired() || w.lock() == oldest;
    });
    return true;
}

} // namespace trend::control

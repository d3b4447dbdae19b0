// Camera URLs carry credentials (rtsp://user:password@…): masked in every text that may repeat them, and in the
// camera's state reason, which reaches the log and the `status` reply (a player's or the network's error text may
// repeat the URL as written).
#include "camera/FrameSource.h"
#include "camera/UrlCredentials.h"

#include <QSignalSpy>
#include <QTest>

using namespace garage;

namespace {

QStringList g_log;
QtMessageHandler g_previous = nullptr;

void collect(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log << message;
    g_previous(type, context, message);
}

class FailingCamera : public FrameSource
{
public:
    explicit FailingCamera(const CameraConfig &config) : FrameSource(config, nullptr) {}
    ~FailingCamera() override { stop(); }
    void fail(const QString &reason) { reportOffline(reason); }

protected:
    QString describeSource() const override { return QStringLiteral("camera under test"); }
    void openStream() override {}
    void closeStream() override {}
};

} // namespace

class tst_UrlCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void masked_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("masked");
        QTest::newRow("user and password") << "rtsp://admin:pw1@cam.lan:554/live" << "rtsp://admin:***@cam.lan:554/live";
        QTest::newRow("token as user") << "http://t0ken@cam.lan/v.mjpg" << "http://***@cam.lan/v.mjpg";
        QTest::newRow("password with @, / and :") << "rtsp://u:p@/:w@cam/x" << "rtsp://u:***@cam/x";
        QTest::newRow("in an error text") << "Error transferring http://u:pw2@cam/v - server replied: Forbidden"
                                          << "Error transferring http://u:***@cam/v - server replied: Forbidden";
        QTest::newRow("two lines") << "a http://u:p1@h/x\nb rtsp://v:p2@k/y" << "a http://u:***@h/x\nb rtsp://v:***@k/y";
        QTest::newRow("no credentials") << "rtsp://cam.lan/live" << "rtsp://cam.lan/live";
        QTest::newRow("not a url") << "camera:USB 2.0 Camera" << "camera:USB 2.0 Camera";
        QTest::newRow("a jid is no url") << "home@example.org" << "home@example.org";
    }
    void masked()
    {
        QFETCH(QString, text);
        QFETCH(QString, masked);
        QCOMPARE(maskUrlCredentials(text), masked);
    }

    // The state reason is what `status` shows and what the state change logs.
    void stateReasonIsMasked()
    {
        g_previous = qInstallMessageHandler(collect);
        CameraConfig config;
        config.source = QStringLiteral("http://admin:S3cret@cam.lan/video");
        FailingCamera camera(config);
        camera.fail(QStringLiteral("Error transferring http://admin:S3cret@cam.lan/video - server replied: Forbidden"));
        qInstallMessageHandler(g_previous);
        QCOMPARE(camera.stateReason(),
                 QStringLiteral("Error transferring http://admin:***@cam.lan/video - server replied: Forbidden"));
        QVERIFY(!g_log.isEmpty());
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!line.contains(QLatin1String("S3cret")), qPrintable(QStringLiteral("logged: ") + line));
    }
};

QTEST_GUILESS_MAIN(tst_UrlCredentials)
#include "tst_UrlCredentials.moc"

// The configuration loader: the shipped example is valid, every kind of bad value is reported with its key, all
// errors at once, unknown keys warn, and secrets never appear in what is printed.
#include "TestUtils.h"
#include "app/ConfigLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {

const QByteArray kMinimal = "[xmpp]\njid = home@example.org\npassword = hunter2\nowners = me@example.org\n"
                            "[storage]\ndir = /tmp/garage-test\n";

QStringList keysOf(const QList<ConfigIssue> &issues)
{
    QStringList keys;
    for (const auto &issue : issues)
        keys << issue.key;
    return keys;
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString write(const QByteArray &text)
    {
        static int counter = 0;
        const QString path = m_dir.filePath(QStringLiteral("c%1.conf").arg(++counter));
        test::writeFile(path, text);
        return path;
    }

private Q_SLOTS:
    void exampleIsValid()
    {
        const auto result = ConfigLoader::load(QStringLiteral(GARAGE_SOURCE_DIR "/deploy/garage-guard.conf.example"));
        QVERIFY2(result.ok(), qPrintable(result.errors.isEmpty() ? QString() : result.errors.first().toString()));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.isEmpty() ? QString()
                                                                                 : result.warnings.first().toString()));
        QCOMPARE(result.config.xmpp.resource, QStringLiteral("garage"));
        QCOMPARE(result.config.motion.analysisWidth, 320);
    }

    void defaultsApply()
    {
        const auto result = ConfigLoader::load(write(kMinimal));
        QVERIFY(result.ok());
        const AppConfig &c = result.config;
        QCOMPARE(c.xmpp.owners, QStringList{QStringLiteral("me@example.org")});
        QCOMPARE(c.xmpp.effectiveKeyword(), QStringLiteral("garage"));
        QVERIFY(c.xmpp.requireTls);
        QVERIFY(!c.xmpp.insecure);
        QVERIFY(c.xmpp.relay);
        QCOMPARE(c.camera.analysisFps, 10);
        QCOMPARE(c.motion.eventGap, 10s);
        QCOMPARE(c.temperature.lowCelsius, std::optional<double>(2.0));
        QCOMPARE(c.alerts.cooldown, 300s);
        QCOMPARE(c.alerts.cameraLostAfter, 30s);
    }

    void valuesAreRead()
    {
        const auto result = ConfigLoader::load(write(
            kMinimal
            + "[motion]\nevent_gap = 2.5\nmask = 0,0 0.5,0 0.5,0.5 | 0.6,0.6 1,0.6 1,1\n"
              "[temperature]\nsource = ds18b20:28-000005e2fdc3\nlow = off\nhigh = 40\n"
              "[xmpp]\nowners = Me@Example.org, wife@example.org\nrequire_keyword = always\nrelay = false\n"
              "[alerts]\ncamera_lost_seconds = 5\n"));
        QVERIFY2(result.ok(), qPrintable(keysOf(result.errors).join(QLatin1Char(' '))));
        QCOMPARE(result.config.motion.eventGap, 2500ms);
        QCOMPARE(result.config.motion.masks.size(), std::size_t(2));
        QCOMPARE(result.config.motion.masks[1].size(), std::size_t(3));
        QCOMPARE(result.config.temperature.lowCelsius, std::nullopt);
        QCOMPARE(result.config.temperature.highCelsius, std::optional<double>(40.0));
        QCOMPARE(result.config.xmpp.owners,
                 (QStringList{QStringLiteral("me@example.org"), QStringLiteral("wife@example.org")}));
        QVERIFY(result.config.xmpp.requireKeyword == KeywordPolicy::Always);
        QVERIFY(!result.config.xmpp.relay);
        QCOMPARE(result.config.alerts.cameraLostAfter, 5s);
    }

    // The deadlines and caps of the link and the sensor read: a valid value is taken.
    void timeoutsAndCapsAreRead()
    {
        const auto result = ConfigLoader::load(write(
            kMinimal
            + "[xmpp]\nupload_timeout_seconds = 90\nconnect_timeout_seconds = 12\nconflict_retry_seconds = 600\n"
              "outbox_max_alerts = 20\noutbox_max_hours = 48\n"
              "[temperature]\nsource = ds18b20:28-000005e2fdc3\nread_timeout_seconds = 4\n"));
        QVERIFY2(result.ok(), qPrintable(keysOf(result.errors).join(QLatin1Char(' '))));
        QCOMPARE(result.config.xmpp.uploadTimeout, 90s);
        QCOMPARE(result.config.xmpp.connectTimeout, 12s);
        QCOMPARE(result.config.xmpp.conflictRetry, 600s);
        QCOMPARE(result.config.xmpp.outboxMaxAlerts, 20);
        QCOMPARE(result.config.xmpp.outboxMaxAge, std::chrono::hours(48));
        QCOMPARE(result.config.temperature.readTimeout, 4000ms);
        const auto defaults = ConfigLoader::load(write(kMinimal));
        QVERIFY(defaults.ok());
        QCOMPARE(defaults.config.xmpp.uploadTimeout, 60s);
        QCOMPARE(defaults.config.xmpp.connectTimeout, 30s);
        QCOMPARE(defaults.config.xmpp.conflictRetry, 300s);
        QCOMPARE(defaults.config.xmpp.outboxMaxAlerts, 50);
        QCOMPARE(defaults.config.xmpp.outboxMaxAge, std::chrono::hours(24));
        QCOMPARE(defaults.config.temperature.readTimeout, 10000ms);
    }

    void clipsAreRead()
    {
        const auto defaults = ConfigLoader::load(write(kMinimal));
        QVERIFY(defaults.ok());
        const ClipSettings &d = defaults.config.clips;
        QVERIFY(d.enabled);
        QCOMPARE(d.preSeconds, 2s);
        QCOMPARE(d.maxSeconds, 10s);
        QCOMPARE(d.width, 640);
        QCOMPARE(d.fps, 5);
        QVERIFY(d.annotate);

        const auto result = ConfigLoader::load(write(
            kMinimal + "[clips]\nenabled = false\npre_seconds = 0\nmax_seconds = 8\nwidth = 480\nfps = 10\n"
                       "annotate = false\n"));
        QVERIFY2(result.ok(), qPrintable(keysOf(result.errors).join(QLatin1Char(' '))));
        QVERIFY(result.warnings.isEmpty());
        const ClipSettings &c = result.config.clips;
        QVERIFY(!c.enabled);
        QCOMPARE(c.preSeconds, 0s);
        QCOMPARE(c.maxSeconds, 8s);
        QCOMPARE(c.width, 480);
        QCOMPARE(c.fps, 10);
        QVERIFY(!c.annotate);
        QVERIFY(result.effective.contains(QStringLiteral("clips/max_seconds = 8")));
    }

    // A long clip is allowed, with a warning: over 512 KiB a phone downloads it only on a tap.
    void longClipsWarn()
    {
        const auto result = ConfigLoader::load(write(kMinimal + "[clips]\nmax_seconds = 20\n"));
        QVERIFY(result.ok());
        QCOMPARE(keysOf(result.warnings), QStringList{QStringLiteral("clips/max_seconds")});
        QCOMPARE(result.config.clips.maxSeconds, 20s);
    }

    void badValue_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("key");
        QTest::newRow("port not a number") << QByteArray("[xmpp]\nport = abc\n") << "xmpp/port";
        QTest::newRow("port out of range") << QByteArray("[xmpp]\nport = 70000\n") << "xmpp/port";
        QTest::newRow("bool") << QByteArray("[xmpp]\nrequire_tls = maybe\n") << "xmpp/require_tls";
        QTest::newRow("relay not a boolean") << QByteArray("[xmpp]\nrelay = sometimes\n") << "xmpp/relay";
        QTest::newRow("owner not a jid") << QByteArray("[xmpp]\nowners = me\n") << "xmpp/owners";
        QTest::newRow("resource with slash") << QByteArray("[xmpp]\nresource = a/b\n") << "xmpp/resource";
        QTest::newRow("choice") << QByteArray("[xmpp]\nrequire_keyword = sometimes\n") << "xmpp/require_keyword";
        QTest::newRow("camera scheme") << QByteArray("[camera]\nsource = ftp://x/y\n") << "camera/source";
        QTest::newRow("even blur") << QByteArray("[motion]\nblur_size = 4\n") << "motion/blur_size";
        QTest::newRow("mask outside frame") << QByteArray("[motion]\nmask = 0,0 1.5,0 1,1\n") << "motion/mask";
        QTest::newRow("mask two points") << QByteArray("[motion]\nmask = 0,0 1,1\n") << "motion/mask";
        QTest::newRow("negative seconds") << QByteArray("[motion]\nevent_gap = -1\n") << "motion/event_gap";
        QTest::newRow("sensor kind") << QByteArray("[temperature]\nsource = lm35:1\n") << "temperature/source";
        QTest::newRow("dht line") << QByteArray("[temperature]\nsource = dht22:gpiochip0:x\n") << "temperature/source";
        QTest::newRow("low above high") << QByteArray("[temperature]\nlow = 30\nhigh = 10\n") << "temperature/high";
        QTest::newRow("door line") << QByteArray("[door]\nline = 17\n") << "door/line";
        QTest::newRow("relative storage") << QByteArray("[storage]\ndir = var/lib\n") << "storage/dir";
        QTest::newRow("mute schedule") << QByteArray("[alerts]\nmute_schedule = weekdays 8-9\n") << "alerts/mute_schedule";
        QTest::newRow("camera lost at once") << QByteArray("[alerts]\ncamera_lost_seconds = 0\n") << "alerts/camera_lost_seconds";
        QTest::newRow("upload timeout 0") << QByteArray("[xmpp]\nupload_timeout_seconds = 0\n") << "xmpp/upload_timeout_seconds";
        QTest::newRow("connect timeout text") << QByteArray("[xmpp]\nconnect_timeout_seconds = soon\n") << "xmpp/connect_timeout_seconds";
        QTest::newRow("conflict retry negative") << QByteArray("[xmpp]\nconflict_retry_seconds = -5\n") << "xmpp/conflict_retry_seconds";
        QTest::newRow("outbox alerts 0") << QByteArray("[xmpp]\noutbox_max_alerts = 0\n") << "xmpp/outbox_max_alerts";
        QTest::newRow("outbox hours too many") << QByteArray("[xmpp]\noutbox_max_hours = 100000\n") << "xmpp/outbox_max_hours";
        QTest::newRow("read timeout 0") << QByteArray("[temperature]\nread_timeout_seconds = 0\n") << "temperature/read_timeout_seconds";
        QTest::newRow("read timeout text") << QByteArray("[temperature]\nread_timeout_seconds = x\n") << "temperature/read_timeout_seconds";
        QTest::newRow("missing jid") << QByteArray("[xmpp]\njid =\n") << "xmpp/jid";
        QTest::newRow("picture limit 0") << QByteArray("[camera]\nmax_picture_width = 0\n") << "camera/max_picture_width";
        QTest::newRow("seconds nan") << QByteArray("[motion]\nevent_gap = nan\n") << "motion/event_gap";
        QTest::newRow("seconds inf") << QByteArray("[alerts]\ncooldown_seconds = inf\n") << "alerts/cooldown_seconds";
        QTest::newRow("seconds -inf") << QByteArray("[camera]\nstall_seconds = -inf\n") << "camera/stall_seconds";
        QTest::newRow("clips enabled maybe") << QByteArray("[clips]\nenabled = maybe\n") << "clips/enabled";
        QTest::newRow("clips pre-roll too long") << QByteArray("[clips]\npre_seconds = 11\n") << "clips/pre_seconds";
        QTest::newRow("clips pre-roll negative") << QByteArray("[clips]\npre_seconds = -1\n") << "clips/pre_seconds";
        QTest::newRow("clips max 0") << QByteArray("[clips]\nmax_seconds = 0\n") << "clips/max_seconds";
        QTest::newRow("clips max not above pre") << QByteArray("[clips]\npre_seconds = 5\nmax_seconds = 5\n")
                                                 << "clips/max_seconds";
        QTest::newRow("clips width tiny") << QByteArray("[clips]\nwidth = 100\n") << "clips/width";
        QTest::newRow("clips fps 0") << QByteArray("[clips]\nfps = 0\n") << "clips/fps";
        QTest::newRow("clips fps 60") << QByteArray("[clips]\nfps = 60\n") << "clips/fps";
        QTest::newRow("clips annotate") << QByteArray("[clips]\nannotate = boxes\n") << "clips/annotate";
        QTest::newRow("seconds beyond 64 bits") << QByteArray("[motion]\nabsorb_seconds = 1e300\n") << "motion/absorb_seconds";
    }

    void badValue()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QString, key);
        const auto result = ConfigLoader::load(write(kMinimal + extra));
        QVERIFY(!result.ok());
        QVERIFY2(keysOf(result.errors).contains(key), qPrintable(keysOf(result.errors).join(QLatin1Char(' '))));
        QVERIFY(!result.errors.first().message.isEmpty());
    }

    // Door control: off without relay_line; with it, the values are read, and --check-config (these messages) says
    // what is wrong: no contact to check the door, the relay on the contact's own line, a bad line or duration.
    void doorControlRead()
    {
        const auto off = ConfigLoader::load(write(kMinimal + "[door]\nline = gpiochip0:27\n"));
        QVERIFY(off.ok());
        QVERIFY(off.config.door.relayLine.isEmpty());
        QCOMPARE(off.config.door.press, 500ms);
        QCOMPARE(off.config.door.travel, 20s);
        QVERIFY(!off.config.door.relayActiveLow);
        const auto on = ConfigLoader::load(write(kMinimal + "[door]\nline = gpiochip0:27\nrelay_line = gpiochip0:22\n"
                                                            "relay_active_low = true\npress_ms = 300\ntravel_seconds = 14\n"));
        QVERIFY2(on.ok(), qPrintable(on.errors.isEmpty() ? QString() : on.errors.first().toString()));
        QCOMPARE(on.config.door.relayLine, QStringLiteral("gpiochip0:22"));
        QVERIFY(on.config.door.relayActiveLow);
        QCOMPARE(on.config.door.press, 300ms);
        QCOMPARE(on.config.door.travel, 14s);
        const auto sim = ConfigLoader::load(write(kMinimal + "[door]\nline = sim:/tmp/contact\nrelay_line = sim:/tmp/relay\n"));
        QVERIFY(sim.ok());
    }

    void doorControlBad_data()
    {
        QTest::addColumn<QByteArray>("door");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("relay without a contact") << QByteArray("relay_line = gpiochip0:22\n") << "door/relay_line"
                                                 << "door/relay_line = 'gpiochip0:22': door control needs the door contact ([door] line) to know whether the door is open";
        QTest::newRow("relay on the contact's line") << QByteArray("line = gpiochip0:22\nrelay_line = gpiochip0:22\n") << "door/relay_line"
                                                     << "door/relay_line = 'gpiochip0:22': the relay and the door contact ([door] line) cannot use the same line";
        QTest::newRow("same line spelt differently") << QByteArray("line = /dev/gpiochip0:22\nrelay_line = gpiochip0:22\n") << "door/relay_line"
                                                     << "door/relay_line = 'gpiochip0:22': the relay and the door contact ([door] line) cannot use the same line";
        QTest::newRow("relay line malformed") << QByteArray("line = gpiochip0:27\nrelay_line = 22\n") << "door/relay_line"
                                              << "door/relay_line = '22': '22' is not <chip>:<line> (e.g. gpiochip0:17)";
        QTest::newRow("relative simulated line") << QByteArray("line = gpiochip0:27\nrelay_line = sim:relay\n") << "door/relay_line"
                                                 << "door/relay_line = 'sim:relay': a simulated line is sim:<absolute path>";
        QTest::newRow("press 0 ms") << QByteArray("line = gpiochip0:27\nrelay_line = gpiochip0:22\npress_ms = 0\n") << "door/press_ms" << "";
        QTest::newRow("press 10 s") << QByteArray("line = gpiochip0:27\nrelay_line = gpiochip0:22\npress_ms = 10000\n") << "door/press_ms" << "";
        QTest::newRow("travel 0") << QByteArray("line = gpiochip0:27\nrelay_line = gpiochip0:22\ntravel_seconds = 0\n") << "door/travel_seconds" << "";
        QTest::newRow("travel text") << QByteArray("line = gpiochip0:27\nrelay_line = gpiochip0:22\ntravel_seconds = slow\n") << "door/travel_seconds" << "";
        QTest::newRow("active low not a boolean") << QByteArray("line = gpiochip0:27\nrelay_line = gpiochip0:22\nrelay_active_low = inverted\n") << "door/relay_active_low" << "";
    }

    void doorControlBad()
    {
        QFETCH(QByteArray, door);
        QFETCH(QString, key);
        QFETCH(QString, message);
        const auto result = ConfigLoader::load(write(kMinimal + "[door]\n" + door));
        QVERIFY(!result.ok());
        QCOMPARE(keysOf(result.errors), QStringList{key});
        if (!message.isEmpty())
            QCOMPARE(result.errors.first().toString(), message);
    }

    // qRound64 of nan or inf is undefined behaviour: such a value is refused before rounding, with a reason that
    // says what is wrong with it (before the fix it only failed the range check by the accident of the rounding).
    void secondsNotFinite_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("key");
        QTest::newRow("nan") << QByteArray("[motion]\nevent_gap = nan\n") << "motion/event_gap";
        QTest::newRow("inf") << QByteArray("[alerts]\ncooldown_seconds = inf\n") << "alerts/cooldown_seconds";
        QTest::newRow("-inf") << QByteArray("[temperature]\npoll_seconds = -inf\n") << "temperature/poll_seconds";
    }
    void secondsNotFinite()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QString, key);
        const auto result = ConfigLoader::load(write(kMinimal + extra));
        QCOMPARE(keysOf(result.errors), QStringList{key});
        QVERIFY2(result.errors.first().message.contains(QLatin1String("not a finite number")),
                 qPrintable(result.errors.first().toString()));
    }

    void everyErrorIsReported()
    {
        const auto result = ConfigLoader::load(
            write(kMinimal + "[xmpp]\nport = x\n[camera]\nfps = 0\n[door]\ndebounce_ms = fast\n"));
        QCOMPARE(keysOf(result.errors),
                 (QStringList{QStringLiteral("xmpp/port"), QStringLiteral("camera/fps"), QStringLiteral("door/debounce_ms")}));
        QVERIFY(result.errors[0].toString().contains(QLatin1String("'x'")));
    }

    void passwordChoice()
    {
        const QByteArray noPassword = "[xmpp]\njid = home@example.org\nowners = me@example.org\n";
        auto result = ConfigLoader::load(write(noPassword));
        QVERIFY(keysOf(result.errors).contains(QStringLiteral("xmpp/password_file")));

        const QString secretFile = m_dir.filePath(QStringLiteral("pw"));
        test::writeFile(secretFile, "s3cret\n");
        QFile::setPermissions(secretFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        result = ConfigLoader::load(write(noPassword + "password_file = " + secretFile.toUtf8() + "\n"));
        QVERIFY(keysOf(result.errors).contains(QStringLiteral("xmpp/password_file")));
        QVERIFY(result.errors.first().message.contains(QLatin1String("world-readable")));

        QFile::setPermissions(secretFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        result = ConfigLoader::load(write(noPassword + "password_file = " + secretFile.toUtf8() + "\n"));
        QVERIFY(result.ok());
    }

    void unknownKeyWarns()
    {
        const auto result = ConfigLoader::load(write(kMinimal + "[motion]\nthreshhold = 30\n[cloud]\nurl = x\n"));
        QVERIFY(result.ok());
        QCOMPARE(keysOf(result.warnings), (QStringList{QStringLiteral("cloud/url"), QStringLiteral("motion/threshhold")}));
        QCOMPARE(result.warnings.last().toString(),
                 QStringLiteral("motion/threshhold: unknown key, ignored (its value is not shown)"));
    }

    // Nothing printed (the effective configuration, warnings, errors: what --check-config and the journal show)
    // holds the XMPP password, a camera URL's password or the value of an unknown key, which may be a misspelt
    // password. `shown` is what is printed instead, so the row fails for the right reason.
    void secretsNeverPrinted_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("shown");
        QTest::newRow("rtsp user and password")
            << QByteArray("[camera]\nsource = rtsp://admin:campass1@cam.lan:554/stream\n") << "campass1"
            << "camera/source = rtsp://admin:***@cam.lan:554/stream";
        QTest::newRow("http token as user") << QByteArray("[camera]\nsource = http://tok3n@cam.lan/video.mjpg\n")
                                            << "tok3n" << "camera/source = http://***@cam.lan/video.mjpg";
        QTest::newRow("password with @ and /")
            << QByteArray("[camera]\nsource = rtsp://admin:p/a@ss9@cam.lan/stream\n") << "p/a@ss9"
            << "camera/source = rtsp://admin:***@cam.lan/stream";
        QTest::newRow("bad camera url (error message)")
            << QByteArray("[camera]\nsource = rtsp://admin:campass2@/stream\n") << "campass2"
            << "camera/source = 'rtsp://admin:***@/stream': URL 'rtsp://admin:***@/stream' has no host";
        QTest::newRow("misspelt password key") << QByteArray("[xmpp]\npasword = typo-secret\n") << "typo-secret"
                                               << "xmpp/pasword: unknown key, ignored (its value is not shown)";
        QTest::newRow("password in the wrong section") << QByteArray("[camera]\npassword = wrong-section\n")
                                                       << "wrong-section" << "camera/password: unknown key";
        QTest::newRow("xmpp password") << QByteArray() << "hunter2" << "xmpp/password = ********";
    }
    void secretsNeverPrinted()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QString, secret);
        QFETCH(QString, shown);
        const auto result = ConfigLoader::load(write(kMinimal + extra));
        QStringList printed = result.effective;
        for (const auto &issue : result.errors + result.warnings)
            printed << issue.toString();
        const QString all = printed.join(QLatin1Char('\n'));
        for (const QString &line : std::as_const(printed))
            QVERIFY2(!line.contains(secret), qPrintable(QStringLiteral("'%1' printed in: %2").arg(secret, line)));
        QVERIFY2(all.contains(shown), qPrintable(all));
    }

    // QSettings ends an unquoted value at ';', splits it at ',' and reads '\\' as an escape: an inline password
    // holding one is refused with what to do (quote it, or password_file), never silently changed. `password`
    // empty: refused.
    void inlinePassword_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("password");
        QTest::newRow("plain") << QByteArray("password = hunter2") << "hunter2";
        QTest::newRow("semicolon") << QByteArray("password = semi;colon") << "";
        QTest::newRow("comma") << QByteArray("password = com,ma") << "";
        QTest::newRow("comma and spaces") << QByteArray("password = com, ma") << "";
        QTest::newRow("backslash") << QByteArray("password = back\\slash") << "";
        QTest::newRow("quote inside") << QByteArray("password = quo\"te") << "";
        QTest::newRow("quoted semicolon and comma") << QByteArray("password = \"se;mi, co\"") << "se;mi, co";
        QTest::newRow("quoted backslash escaped") << QByteArray("password = \"a\\\\b\"") << "a\\b";
    }
    void inlinePassword()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, password);
        const auto result = ConfigLoader::load(
            write("[xmpp]\njid = home@example.org\n" + line + "\nowners = me@example.org\n[storage]\ndir = /tmp/g\n"));
        if (!password.isEmpty()) {
            QVERIFY2(result.ok(), qPrintable(result.errors.isEmpty() ? QString() : result.errors.first().toString()));
            QCOMPARE(result.config.xmpp.password, password);
            return;
        }
        // (a stray quote may cost QSettings more than the password: other errors may follow it)
        const qsizetype at = keysOf(result.errors).indexOf(QStringLiteral("xmpp/password"));
        QVERIFY2(at >= 0, qPrintable(keysOf(result.errors).join(QLatin1Char(' '))));
        const QString error = result.errors[at].toString();
        QVERIFY2(error.contains(QLatin1String("double quotes")) && error.contains(QLatin1String("password_file")),
                 qPrintable(error));
        QVERIFY2(error.startsWith(QLatin1String("xmpp/password = '********'")), qPrintable(error));
    }

    // The same for a camera URL with a password in it: refused unquoted when QSettings would change it, with the
    // password masked in the error; read whole when quoted; a URL without credentials is not concerned.
    void cameraUrlWithPassword_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("source");
        QTest::newRow("plain") << QByteArray("source = rtsp://cam:hunter2@10.0.0.5/stream") << "rtsp://cam:hunter2@10.0.0.5/stream";
        QTest::newRow("semicolon in the password") << QByteArray("source = rtsp://cam:hun;ter2@10.0.0.5/stream") << "";
        QTest::newRow("comma in the password") << QByteArray("source = rtsp://cam:hun,ter2@10.0.0.5/stream") << "";
        QTest::newRow("quoted") << QByteArray("source = \"rtsp://cam:hun;ter,2@10.0.0.5/stream\"")
                                << "rtsp://cam:hun;ter,2@10.0.0.5/stream";
    }
    void cameraUrlWithPassword()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, source);
        const auto result = ConfigLoader::load(write("[xmpp]\njid = home@example.org\npassword = x\nowners = me@example.org\n"
                                                     "[camera]\n" + line + "\n[storage]\ndir = /tmp/g\n"));
        if (!source.isEmpty()) {
            QVERIFY2(result.ok(), qPrintable(result.errors.isEmpty() ? QString() : result.errors.first().toString()));
            QCOMPARE(result.config.camera.source, source);
            return;
        }
        const qsizetype at = keysOf(result.errors).indexOf(QStringLiteral("camera/source"));
        QVERIFY2(at >= 0, qPrintable(keysOf(result.errors).join(QLatin1Char(' '))));
        const QString error = result.errors[at].toString();
        QVERIFY2(error.contains(QLatin1String("double quotes")) && error.contains(QLatin1String("cam:***@")), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("hun")), qPrintable(error));
    }

    void missingFile()
    {
        const auto result = ConfigLoader::load(m_dir.filePath(QStringLiteral("nope.conf")));
        QVERIFY(!result.ok());
        QCOMPARE(result.errors.first().key, QStringLiteral("(file)"));
    }

    void secretsMasked()
    {
        const auto result = ConfigLoader::load(write(kMinimal));
        const QString all = result.effective.join(QLatin1Char('\n'));
        QVERIFY(!all.contains(QLatin1String("hunter2")));
        QVERIFY(all.contains(QLatin1String("xmpp/password = ********")));
        QVERIFY(all.contains(QLatin1String("motion/threshold = 25")));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_ConfigLoader.moc"

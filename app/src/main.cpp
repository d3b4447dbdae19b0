// garage-guard: the appliance daemon. Parses the command line, loads the configuration, runs the event loop.
#include "app/Appliance.h"
#include "app/ConfigLoader.h"
#include "app/SignalWatcher.h"
#include "app/SystemdNotifier.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

#include <opencv2/core/utility.hpp>

namespace {

Q_LOGGING_CATEGORY(lcMain, "garage.app", QtInfoMsg)

constexpr int kExitConfig = 2;

void printIssues(const garage::ConfigLoadResult &result, const QString &path)
{
    QTextStream err(stderr);
    for (const auto &warning : result.warnings)
        err << "garage-guard: warning: " << path << ": " << warning.toString() << '\n';
    for (const auto &error : result.errors)
        err << "garage-guard: error: " << path << ": " << error.toString() << '\n';
    if (!result.ok())
        err << "garage-guard: " << result.errors.size() << " error(s) in " << path << ", not starting\n";
}

} // namespace

int main(int argc, char *argv[])
{
    // Headless appliance: no display server. Qt Multimedia and image handling need a GUI application object.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    // the analysis works on ~320 px frames: OpenCV's worker threads would cost more in wake-ups than they save
    cv::setNumThreads(1);
    QGuiApplication::setApplicationName(QStringLiteral("garage-guard"));
    QGuiApplication::setApplicationVersion(QStringLiteral(GARAGE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Garage security monitor: camera motion detection, temperature and door sensors, XMPP alerts "
                       "and chat commands."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(
        {QStringLiteral("c"), QStringLiteral("config")}, QStringLiteral("Configuration file (INI)."),
        QStringLiteral("FILE"), QStringLiteral("/etc/garage-guard/garage-guard.conf"));
    const QCommandLineOption checkOption(
        QStringLiteral("check-config"),
        QStringLiteral("Load and validate the configuration, print it with secrets masked, and exit (0 valid, 2 "
                       "invalid)."));
    parser.addOption(configOption);
    parser.addOption(checkOption);
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "garage-guard: unexpected argument '%s' (see --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return kExitConfig;
    }

    const QString path = parser.value(configOption);
    const auto loaded = garage::ConfigLoader::load(path);
    printIssues(loaded, path);
    if (!loaded.ok())
        return kExitConfig;
    if (parser.isSet(checkOption)) {
        QTextStream out(stdout);
        for (const QString &line : loaded.effective)
            out << line << '\n';
        out << "configuration OK: " << path << '\n';
        return 0;
    }

    garage::SystemdNotifier systemd;
    garage::Appliance appliance(loaded.config);
    // only a bad configuration stops here (the storage directory): a missing device is run without
    if (const auto started = appliance.start(); !started) {
        std::fprintf(stderr, "garage-guard: cannot start: %s\n", qPrintable(started.error()));
        return kExitConfig;
    }
    systemd.setAliveCheck([&appliance] { return appliance.supervisorsAlive(); });
    garage::SignalWatcher signals;
    QObject::connect(&signals, &garage::SignalWatcher::terminationRequested, &app, [&systemd, &appliance](int sig) {
        qCInfo(lcMain) << "signal" << sig << "received, shutting down";
        systemd.stopping();
        appliance.stop();
        QCoreApplication::quit();
    });
    qCInfo(lcMain) << "garage-guard" << GARAGE_VERSION << "started with" << path << "as" << loaded.config.xmpp.jid
                   << "resource" << loaded.config.xmpp.resource;
    systemd.ready(QStringLiteral("running"));
    const int rc = QGuiApplication::exec();
    qCInfo(lcMain) << "stopped";
    return rc;
}

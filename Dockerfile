# syntax=docker/dockerfile:1
# The carbon-aware scheduler extender.
#   docker build -t carbon-aware-scheduler:dev .
#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/carbon-aware-scheduler:TAG --push .
#   docker run --rm --read-only --tmpfs /tmp -p 8090:8090 carbon-aware-scheduler:dev

# Build stage: runs on the build machine's platform and compiles for the target's (IL is portable; only the
# native assets of SkiaSharp and HarfBuzzSharp are chosen by architecture).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src

# Restore from the project files alone, so this layer is reused until a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Scheduler.Core/Scheduler.Core.csproj src/Scheduler.Core/
COPY src/Scheduler.Signals/Scheduler.Signals.csproj src/Scheduler.Signals/
COPY src/Scheduler.Kubernetes/Scheduler.Kubernetes.csproj src/Scheduler.Kubernetes/
COPY src/Scheduler.Storage/Scheduler.Storage.csproj src/Scheduler.Storage/
COPY src/Scheduler.Reporting/Scheduler.Reporting.csproj src/Scheduler.Reporting/
COPY src/Scheduler.Extender/Scheduler.Extender.csproj src/Scheduler.Extender/
RUN dotnet restore src/Scheduler.Extender/Scheduler.Extender.csproj -a "$TARGETARCH"

# The models are embedded into Scheduler.Signals at build time; nothing is read from models/ at run time.
COPY models/ models/
COPY src/ src/
RUN dotnet publish src/Scheduler.Extender/Scheduler.Extender.csproj -c Release -a "$TARGETARCH" --no-restore \
      --self-contained false -o /app -p:UseAppHost=false

# One font for the savings report's charts. ScottPlot lays out their text with SkiaSharp, which finds fonts
# under /usr/share/fonts; with none, the SVG charts come out without titles, axis labels or tick labels.
# Font files are the same on every architecture, so this stage also runs on the build machine's platform.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS fonts
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Runtime stage: ASP.NET Core on Ubuntu chiseled, no shell and no package manager, non-root by default.
# The "extra" variant because the built-in carbon profiles are in local time (Europe/Berlin, Europe/London, ...),
# which needs tzdata; ICU, which it also carries, goes unused (InvariantGlobalization). SkiaSharp and
# HarfBuzzSharp are the NoDependencies native builds, which need only libc, libm, libpthread and libdl.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime
COPY --from=fonts /usr/share/fonts/truetype/dejavu/ /usr/share/fonts/truetype/dejavu/
COPY --from=fonts /usr/share/doc/fonts-dejavu-core/copyright /usr/share/doc/fonts-dejavu-core/copyright
WORKDIR /app
COPY --from=build /app ./
# The image's non-root user (uid 1654). The application files stay owned by root and read-only to it, and
# nothing is written at run time outside /tmp (the runtime's diagnostics socket), so the root file system can
# be mounted read-only with a writable /tmp.
USER $APP_UID
# The server GC (the Web SDK's default) with .NET's dynamic adaptation keeps memory small in a
# container and halves the time spent collecting while large /filter requests are read.
# HTTP on 8090; HTTPS on Tls__Port (8443) once Tls__CertificateFile and Tls__KeyFile are set. The base image's
# ASPNETCORE_HTTP_PORTS (8080) is cleared: ASPNETCORE_URLS decides, without a start-up warning about the override.
ENV ASPNETCORE_URLS=http://+:8090 \
    ASPNETCORE_HTTP_PORTS= \
    Logging__Console__FormatterName=json
EXPOSE 8090 8443
# The service's own probe (the image has no shell or curl): exit 0 when /healthz answers 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "Scheduler.Extender.dll", "healthcheck", "http://127.0.0.1:8090/healthz"]
ENTRYPOINT ["dotnet", "Scheduler.Extender.dll"]

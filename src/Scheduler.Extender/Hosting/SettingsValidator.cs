using Microsoft.Extensions.Options;

namespace Scheduler.Extender.Hosting;

/// <summary>Validates an options class with its own rule list, reporting every bad setting at start-up.</summary>
internal sealed class SettingsValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

"""The mkdocs-macros module (`module_name: macros`): registers the playbook macros.

mkdocs-macros renders pages with an unsandboxed Jinja environment that can reach Python
and the shell. So this hook renders each page in the playbook sandbox instead, then
sets `render_macros: false`, which mkdocs-macros honours before anything else:
https://github.com/fralau/mkdocs-macros-plugin/blob/v1.5.0/mkdocs_macros/plugin.py#L682
"""


def _playbook(env):
    plugin = env.conf["plugins"].get("playbook")
    if plugin is None:
        raise RuntimeError("mkdocs.yml must list the 'playbook' plugin before 'macros'")
    return plugin


def define_env(env):
    """Register the playbook macros (for `macros_info` and documentation)."""
    for name, function in _playbook(env).env.globals.items():
        env.macro(function, name)


def on_pre_page_macros(env):
    """Render the page in the sandbox and keep mkdocs-macros' own engine off it."""
    meta = env.page.meta
    meta.pop("ignore_macros", None)  # mkdocs-macros raises on it; the page is rendered here either way
    if env.page.file.generated_by is None:
        env.markdown = _playbook(env).render_page(env.markdown, env.page)
    meta["render_macros"] = False

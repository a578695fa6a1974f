# Shared by the load scripts (sourced, not run).

# The load scripts run the portal on this machine, never against production.
export MOTCUA_ENV=development

# The URL of database $1 on the same server as $base_url, with the same options.
db_url() {
  local url=$base_url q=""
  [[ $url == *\?* ]] && { q="?${url#*\?}"; url=${url%%\?*}; }
  echo "${url%/*}/$1$q"
}

# bash completion for optimus-guest(8)
# Shipped with optimus-guest and overwritten on update.

_optimus_guest_profiles()
{
	optimus-guest profiles list 2>/dev/null | awk '{print $1}'
}

_optimus_guest()
{
	local cur prev words cword
	_init_completion || return

	local globals="--root --snapshot --providers --display --data-dir --json --help --version"
	local commands="probe plan apply revert run session report profiles signatures host vbios acpi-table libvirt"
	local cmd="" sub="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--root | --snapshot | --providers | --display | --data-dir) ((i++)) ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${words[i]}
			elif [[ -z $sub ]]; then
				sub=${words[i]}
			fi
			;;
		esac
	done

	case $prev in
	--root | --data-dir | -o)
		if [[ $cmd == vbios && $sub == extract ]] || [[ $prev != -o ]]; then
			_filedir -d
		else
			_filedir
		fi
		return
		;;
	--snapshot | --providers | --log | --vbios | --acpi-table | --qemu-args)
		_filedir
		return
		;;
	--display | --device | --device-path | --hostdev | --fw-cfg-name | --slot | --root-port)
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "md json" -- "$cur"))
		return
		;;
	--source)
		COMPREPLY=($(compgen -W "embedded fw_cfg" -- "$cur"))
		return
		;;
	--goal)
		COMPREPLY=($(compgen -W "nouveau nvidia windows" -- "$cur"))
		return
		;;
	--declare)
		COMPREPLY=($(compgen -W "none device all" -- "$cur"))
		return
		;;
	--profile)
		COMPREPLY=($(compgen -W "$(_optimus_guest_profiles)" -- "$cur"))
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
		return
	fi

	local opts=""
	case $cmd in
	probe) opts="" ;;
	plan) opts="$(_optimus_guest_profiles)" ;;
	apply) opts="--dry-run --boot --force $(_optimus_guest_profiles)" ;;
	revert) opts="--dry-run --force" ;;
	run) opts="--print --profile --" ;;
	session) opts="--dry-run --profile" ;;
	report) opts="-o --format --log --no-redact" ;;
	profiles)
		if [[ -z $sub ]]; then
			opts="list show validate"
		elif [[ $sub == show ]]; then
			opts="$(_optimus_guest_profiles)"
		elif [[ $sub == list ]]; then
			opts="--verbose --checks"
		elif [[ $sub == validate ]]; then
			_filedir ini
			return
		fi
		;;
	signatures)
		if [[ -z $sub ]]; then
			opts="validate"
		else
			_filedir ini
			return
		fi
		;;
	vbios)
		if [[ -z $sub ]]; then
			opts="inspect extract"
		else
			[[ $sub == extract ]] && opts="-o --device --list"
			[[ $cur != -* ]] && { _filedir; return; }
		fi
		;;
	acpi-table) opts="--vbios -o --device-path --slot --root-port --declare --source --fw-cfg-name --battery --force --iasl" ;;
	host) [[ -z $sub ]] && opts="check" ;;
	libvirt)
		if [[ -z $sub ]]; then
			opts="check fix"
		else
			opts="--hostdev --qemu-args --goal"
			[[ $sub == fix ]] && opts="$opts --vbios --acpi-table --force -o"
			[[ $cur != -* ]] && { _filedir xml; return; }
		fi
		;;
	esac
	COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
}
complete -F _optimus_guest optimus-guest
